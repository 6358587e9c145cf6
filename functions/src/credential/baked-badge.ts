/**
 * Baked badges (Open Badges 3.0 §5.3, "Baking"): the signed credential carried inside an image,
 * so that a wallet or backpack that imports image files (the Learner Credential Wallet, Badgr /
 * Canvas Credentials, Open Badge Factory) gets the credential with the picture.
 *
 *   PNG  one iTXt chunk, keyword `openbadgecredential`, uncompressed, no language tag, whose
 *        text is the credential's JSON (an embedded proof: eddsa-rdfc-2022), right after IHDR;
 *        an earlier `openbadgecredential` chunk is replaced (the spec allows one).
 *   SVG  `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"` on <svg> and, directly after
 *        it, `<openbadges:credential>` with the JSON in CDATA; the picture is the certificate's
 *        PNG preview as an <image>, so it looks the same wherever it is opened.
 *
 * The picture is the certificate's PNG preview (issue/preview.ts). The JSON is the credential as
 * issued (the registry's `credentialJson`); "]]>" inside a string is written as "]]\u003e" so the
 * CDATA section cannot end early (the same JSON value, the proof unaffected).
 */
import { crc32 } from 'node:zlib';

export const PNG_KEYWORD = 'openbadgecredential';
export const SVG_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG's chunks, in order: type and data. Throws when it is not a PNG. */
export function pngChunks(png: Uint8Array): { type: string; data: Buffer }[] {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG');
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at + 12 <= bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > bytes.length) throw new Error('a PNG chunk runs past the end');
    chunks.push({ type, data: bytes.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
    if (type === 'IEND') break;
  }
  if (chunks[0]?.type !== 'IHDR' || chunks.at(-1)?.type !== 'IEND') throw new Error('a PNG without IHDR or IEND');
  return chunks;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(Buffer.from(type, 'latin1'))) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** The text of an iTXt chunk with `keyword`, or undefined. */
function itxtText(data: Buffer, keyword: string): string | undefined {
  const end = data.indexOf(0);
  if (end < 0 || data.toString('latin1', 0, end) !== keyword) return undefined;
  const compressed = data[end + 1];
  const languageEnd = data.indexOf(0, end + 3);
  const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
  if (compressed !== 0 || translatedEnd < 0) return undefined;
  return data.toString('utf8', translatedEnd + 1);
}

/** The credential JSON as it goes into an image (CDATA-safe, the same value). */
function credentialText(credentialJson: string): string {
  return JSON.stringify(JSON.parse(credentialJson)).replace(/]]>/g, ']]\\u003e');
}

/** The PNG with the credential baked in. */
export function bakePng(png: Uint8Array, credentialJson: string): Uint8Array {
  const chunks = pngChunks(png).filter((c) => !(c.type === 'iTXt' && itxtText(c.data, PNG_KEYWORD) !== undefined));
  const itxt = Buffer.concat([
    Buffer.from(PNG_KEYWORD, 'latin1'),
    Buffer.from([0, 0, 0, 0, 0]), // separator, compression flag 0, method 0, empty language tag, empty translated keyword
    Buffer.from(credentialText(credentialJson), 'utf8'),
  ]);
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', chunks[0]!.data),
    chunk('iTXt', itxt),
    ...chunks.slice(1).map((c) => chunk(c.type, c.data)),
  ]);
}

/** The credential baked into a PNG (the first `openbadgecredential` iTXt chunk), or undefined. */
export function unbakePng(png: Uint8Array): string | undefined {
  for (const c of pngChunks(png)) {
    if (c.type !== 'iTXt') continue;
    const text = itxtText(c.data, PNG_KEYWORD);
    if (text !== undefined) return text;
  }
  return undefined;
}

const escapeXml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** An SVG of the PNG with the credential baked in; `title` names the picture (e.g. "Certificate of Ada Lovelace"). */
export function bakeSvg(png: Uint8Array, credentialJson: string, title: string): string {
  const header = pngChunks(png)[0]!.data;
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="${SVG_NAMESPACE}" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">` +
    `<openbadges:credential><![CDATA[${credentialText(credentialJson)}]]></openbadges:credential>\n` +
    `<title>${escapeXml(title)}</title>\n` +
    `<image width="${width}" height="${height}" href="data:image/png;base64,${Buffer.from(png).toString('base64')}"/>\n` +
    `</svg>\n`
  );
}

/** The credential baked into an SVG (the first `openbadges:credential` element's CDATA), or undefined. */
export function unbakeSvg(svg: string): string | undefined {
  const match = /<openbadges:credential(?:\s[^>]*)?>\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*<\/openbadges:credential>/.exec(
    svg,
  );
  return match?.[1];
}
