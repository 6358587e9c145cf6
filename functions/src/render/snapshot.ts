/**
 * The renderer as the build leaves it: the core with the fonts loaded at start-up and the
 * bundled templates compiled, saved as its linear memory (functions/wasm/renderer.snapshot,
 * written by `npm run build`, deployed with the functions). A new instance restores it instead
 * of parsing its fonts and compiling the bundled templates on V8's baseline code (~100 ms of
 * its first certificate).
 *
 * The core keeps all its state in linear memory (its stack pointer, the one other mutable
 * global, is back at its start between calls), so a copy of that memory is the core. The file
 * is used only when it was made from the same core (sha256 of the .wasm), the same font files
 * (names and sizes) and the same template bytes; otherwise the renderer starts as before.
 *
 * File: "certforge-snapshot 1\n", u32 LE header length, header JSON, then the memory's
 * non-zero 64 KiB pages in order.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCoreSha256, type CoreFont, type SparseMemory } from './core.js';
import { BUNDLED_TEMPLATE_IDS, bundledTemplateSvg } from './bundled-templates.js';
import { bundledFontFiles } from './fonts.js';
import { Renderer, type RendererState } from './pipeline.js';
import { sha256Hex } from '../shared/hash.js';

export const SNAPSHOT_URL = new URL('../../wasm/renderer.snapshot', import.meta.url);
const MAGIC = 'certforge-snapshot 1\n';

interface Header {
  /** sha256 of the core's .wasm. */
  core: string;
  /** The fonts in the core, in order: file name, size and use. */
  fonts: Array<{ name: string; size: number; use?: CoreFont['use'] }>;
  memory: { bytes: number; pages: number[] };
  coreTemplates: Array<{ id: number; instanceId: number; sha256: string; opts: string }>;
  nextTemplateId: number;
  renderer: Omit<RendererState, 'core'>;
}

/** The bundled templates' bytes by sha256 (as Renderer.compileTemplate hashes a template without fonts). */
function bundledSources(): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const id of BUNDLED_TEMPLATE_IDS) {
    const svg = bundledTemplateSvg(id);
    out.set(sha256Hex(svg), svg);
  }
  return out;
}

/** The eager fonts as files, with their sizes (what a snapshot's fonts must match). */
function eagerFonts(): Array<CoreFont & { name: string; size: number }> {
  return bundledFontFiles('eager').map((font) => ({
    ...font,
    name: basename(font.path!),
    size: statSync(font.path!).size,
  }));
}

/** Makes a fresh renderer with the bundled templates compiled and writes its snapshot; returns its size. */
export async function writeSnapshot(url: URL = SNAPSHOT_URL): Promise<number> {
  const renderer = await Renderer.create();
  for (const svg of bundledSources().values()) renderer.compileTemplate(svg);
  const { core, ...rest } = renderer.state();
  const sizes = new Map(eagerFonts().map((font) => [font.name, font.size]));
  const header: Header = {
    core: await defaultCoreSha256(),
    fonts: core.fonts.map((font) => ({ name: font.name, size: sizes.get(font.name) ?? -1, use: font.use })),
    memory: { bytes: core.memory.bytes, pages: core.memory.pages },
    coreTemplates: core.templates.map((t) => ({
      id: t.id,
      instanceId: t.instanceId,
      sha256: sha256Hex(t.svg),
      opts: Buffer.from(t.opts).toString('base64'),
    })),
    nextTemplateId: core.nextTemplateId,
    renderer: rest,
  };
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const file = Buffer.concat([Buffer.from(MAGIC), length, json, core.memory.data]);
  writeFileSync(fileURLToPath(url), file);
  return file.length;
}

/**
 * The renderer of the snapshot at `url`, or undefined when there is none or it was made from
 * another core, other fonts or other templates (the caller then starts a renderer as usual).
 */
export async function restoreSnapshot(url: URL = SNAPSHOT_URL): Promise<Renderer | undefined> {
  let file: Buffer;
  try {
    file = readFileSync(url);
  } catch {
    return undefined;
  }
  if (file.length < MAGIC.length + 4 || file.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  const headerLength = file.readUInt32LE(MAGIC.length);
  const dataStart = MAGIC.length + 4 + headerLength;
  let header: Header;
  try {
    header = JSON.parse(file.toString('utf8', MAGIC.length + 4, dataStart)) as Header;
  } catch {
    return undefined;
  }
  const fonts = eagerFonts();
  const sources = bundledSources();
  const matches =
    header.core === (await defaultCoreSha256()) &&
    header.fonts.length === fonts.length &&
    header.fonts.every((f, i) => f.name === fonts[i]!.name && f.size === fonts[i]!.size && f.use === fonts[i]!.use) &&
    header.coreTemplates.every((t) => sources.has(t.sha256)) &&
    file.length - dataStart === header.memory.pages.length * 65536;
  if (!matches) return undefined;
  const memory: SparseMemory = {
    bytes: header.memory.bytes,
    pages: header.memory.pages,
    data: file.subarray(dataStart),
  };
  return Renderer.restore(
    {
      ...header.renderer,
      core: {
        memory,
        fonts: header.fonts,
        templates: header.coreTemplates.map((t) => ({
          id: t.id,
          instanceId: t.instanceId,
          svg: sources.get(t.sha256)!,
          opts: new Uint8Array(Buffer.from(t.opts, 'base64')),
        })),
        nextTemplateId: header.nextTemplateId,
      },
    },
    fonts.map(({ size: _size, ...font }) => font),
    sources,
  );
}
