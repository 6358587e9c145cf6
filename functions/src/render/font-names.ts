/**
 * Which of a template's own fonts it uses: the names inside each font file (its `name` table)
 * against the text of the template. A folder of a family's 18 weights or three CJK faces is
 * ordinary work; loading all of them for a template that names two would cost memory and, past
 * the core's limits, refuse the template. So the fonts the template names are loaded first, and
 * the others only while they fit the limits (they may still draw a character nothing else has).
 */
import { CertforgeError } from './errors.js';

/** At most this many fonts, and bytes of fonts, reach the core for one template (its limits). */
export const LOADED_FONT_LIMITS = { maxFonts: 32, maxBytes: 64 * 1024 * 1024 } as const;

/** Name IDs read: family, full name, PostScript name, typographic family. */
const NAME_IDS = new Set([1, 4, 6, 16]);

/** The family, full, PostScript and typographic family names of every face of a font file. */
export function fontNames(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => (at + 2 <= view.byteLength ? view.getUint16(at) : 0);
  const u32 = (at: number) => (at + 4 <= view.byteLength ? view.getUint32(at) : 0);
  const faces =
    u32(0) === 0x74746366 /* 'ttcf' */ ? Array.from({ length: Math.min(u32(8), 64) }, (_, i) => u32(12 + 4 * i)) : [0];
  const names = new Set<string>();
  for (const face of faces) {
    const tables = Math.min(u16(face + 4), 256);
    for (let t = 0; t < tables; t++) {
      const record = face + 12 + 16 * t;
      if (u32(record) !== 0x6e616d65 /* 'name' */) continue;
      const table = u32(record + 8);
      const count = Math.min(u16(table + 2), 2048);
      const strings = table + u16(table + 4);
      for (let r = 0; r < count; r++) {
        const at = table + 6 + 12 * r;
        const [platform, nameId, length, offset] = [u16(at), u16(at + 6), u16(at + 8), u16(at + 10)];
        if (!NAME_IDS.has(nameId)) continue;
        const start = strings + offset;
        if (start + length > bytes.length) continue;
        const raw = bytes.subarray(start, start + length);
        const text =
          platform === 1
            ? String.fromCharCode(...raw)
            : String.fromCharCode(
                ...Array.from({ length: length >> 1 }, (_, i) => (raw[2 * i]! << 8) | raw[2 * i + 1]!),
              );
        if (text.trim()) names.add(text.trim());
      }
    }
  }
  return [...names];
}

const squash = (text: string) => text.toLowerCase().replace(/[\s'"]/g, '');

/**
 * The fonts to load with a template: those whose names the template text holds (any case,
 * any spacing), then the others in their order while they fit LOADED_FONT_LIMITS. LIMIT_EXCEEDED
 * only when the fonts the template names are over the limits themselves.
 */
export function fontsForTemplate(svg: Uint8Array, fonts: readonly Uint8Array[]): Uint8Array[] {
  if (fonts.length === 0) return [];
  const text = squash(new TextDecoder().decode(svg));
  const named = fonts.map((font) => fontNames(font).some((name) => text.includes(squash(name))));
  const indices = fonts.map((_, i) => i);
  const chosen = new Set(indices.filter((i) => named[i]));
  let bytes = [...chosen].reduce((n, i) => n + fonts[i]!.length, 0);
  if (chosen.size > LOADED_FONT_LIMITS.maxFonts || bytes > LOADED_FONT_LIMITS.maxBytes) {
    const files = chosen.size > LOADED_FONT_LIMITS.maxFonts;
    throw new CertforgeError(
      'LIMIT_EXCEEDED',
      files
        ? `The template uses ${chosen.size} of its fonts; at most ${LOADED_FONT_LIMITS.maxFonts} can be loaded`
        : `The fonts the template uses are ${Math.ceil(bytes / 1048576)} MiB; at most ${LOADED_FONT_LIMITS.maxBytes / 1048576} MiB can be loaded`,
      files
        ? { what: 'fonts the template uses', limit: LOADED_FONT_LIMITS.maxFonts, actual: chosen.size }
        : { what: 'bytes of the fonts the template uses', limit: LOADED_FONT_LIMITS.maxBytes, actual: bytes },
    );
  }
  for (const i of indices.filter((i) => !named[i])) {
    if (chosen.size + 1 > LOADED_FONT_LIMITS.maxFonts || bytes + fonts[i]!.length > LOADED_FONT_LIMITS.maxBytes)
      continue;
    chosen.add(i);
    bytes += fonts[i]!.length;
  }
  // In the order given: a character the text's font lacks falls back to the earlier font.
  return indices.filter((i) => chosen.has(i)).map((i) => fonts[i]!);
}
