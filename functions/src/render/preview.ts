/**
 * PNG preview of the core's text-as-paths SVG with @resvg/resvg-wasm.
 * No fonts are loaded: all text is already outlined by the core.
 *
 * A template's static artwork is rasterised once per width (`rasterize`) and
 * kept as the PNG's compressed strips (`backgroundLayer`), not as pixels; each
 * certificate only rasterises its variable elements and paints them over the
 * strips they touch, decompressed again (`composePng`): the static layer is most
 * of the pixels and most of the drawing time.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { constants as zlibConstants, crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { CertforgeError } from './errors.js';

export const DEFAULT_PNG_WIDTH = 1200;

const require = createRequire(import.meta.url);
type ResvgWasm = typeof import('@resvg/resvg-wasm');
const RESVG_ID = require.resolve('@resvg/resvg-wasm');

/** The compiled module: instantiated again (a fresh memory) after a panic. */
let compiled: Promise<WebAssembly.Module> | undefined;
/** The live resvg-wasm binding; undefined before initPreview() and after a panic. */
let live: ResvgWasm | undefined;
let starting: Promise<void> | undefined;

/**
 * Makes resvg-wasm ready. Its binding is a singleton per loaded copy of the package, and a
 * Rust panic inside it (a WebAssembly trap) leaves that copy unusable for good ("recursive use
 * of an object detected"): after one, the next call loads a fresh copy of the binding and
 * instantiates the compiled module again, so one hostile preview does not break the process.
 */
export function initPreview(): Promise<void> {
  if (live) return Promise.resolve();
  starting ??= (async () => {
    try {
      compiled ??= readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm')).then((bytes) =>
        WebAssembly.compile(bytes),
      );
      const module = await compiled;
      delete require.cache[RESVG_ID];
      const binding = require(RESVG_ID) as ResvgWasm;
      await binding.initWasm(module);
      live = binding;
    } catch (error) {
      compiled = undefined;
      throw new CertforgeError(
        'NOT_INITIALIZED',
        `Cannot initialize resvg-wasm: ${(error as Error).message}`,
        {},
        { cause: error },
      );
    } finally {
      starting = undefined;
    }
  })();
  return starting;
}

/** RGBA pixels, premultiplied alpha (as tiny-skia keeps them). */
export interface Raster {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Rasterizes `svg` to `widthPx` wide; transparent unless a background colour is given. */
export function rasterize(svg: string, widthPx = DEFAULT_PNG_WIDTH, background?: string): Raster {
  const binding = live;
  if (!binding) throw new CertforgeError('NOT_INITIALIZED', 'rasterize() called before initPreview() resolved');
  let resvg: InstanceType<ResvgWasm['Resvg']> | undefined;
  let image: ReturnType<InstanceType<ResvgWasm['Resvg']>['render']> | undefined;
  try {
    resvg = new binding.Resvg(svg, {
      fitTo: { mode: 'width', value: widthPx },
      font: { loadSystemFonts: false },
      ...(background ? { background } : {}),
    });
    image = resvg.render();
    return { width: image.width, height: image.height, pixels: image.pixels };
  } catch (error) {
    if (error instanceof CertforgeError) throw error;
    if (error instanceof WebAssembly.RuntimeError) {
      // A panic: this copy of resvg-wasm is poisoned; initPreview() starts a fresh one.
      live = undefined;
      resvg = image = undefined;
      throw new CertforgeError(
        'RENDER_FAILED',
        `The PNG preview renderer crashed on this certificate (${error.message}); the PDF is unaffected`,
        { trap: true },
        { cause: error },
      );
    }
    throw new CertforgeError('RENDER_FAILED', `PNG preview failed: ${String(error)}`, {}, { cause: error });
  } finally {
    image?.free();
    resvg?.free();
  }
}

/**
 * Frees a raster's pixels now instead of at a later garbage collection (4 MB at 1200 px, and
 * the collector lets several such buffers pile up between collections): their buffer is
 * detached (ArrayBuffer.prototype.transfer). Only for a raster nothing else holds.
 */
export function releaseRaster(raster: Raster): void {
  const { buffer, byteOffset, byteLength } = raster.pixels;
  const detachable = buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
  if (byteOffset === 0 && byteLength === buffer.byteLength) detachable.transfer?.(0);
}

/** Rows per independently compressed strip of the PNG's image data. */
const STRIP_ROWS = 32;

interface Strip {
  /** Raw deflate data of the strip's filtered rows, ending on a byte boundary (full flush). */
  deflated: Buffer;
  /** Adler-32 and length of the strip's filtered rows. */
  adler: number;
  length: number;
}

/**
 * A template's static layer at one width, as the PNG image data of its rows: strips of
 * STRIP_ROWS rows, each compressed on its own. This is all a preview keeps of the background
 * (its compressed size, 40-800 KB at 1200 px, instead of 4 MB of pixels).
 */
export interface Background {
  width: number;
  height: number;
  strips: Strip[];
  /** The strips' compressed bytes. */
  bytes: number;
}

/** Some rows of pixels: `channels` bytes per pixel (RGBA rasters, RGB rows decoded from a strip). */
interface Rows {
  pixels: Uint8Array;
  channels: 3 | 4;
  /** The row `pixels` starts with. */
  first: number;
}

/** The opaque `raster`'s rows as compressed strips (the raster is not kept or modified). */
export function backgroundLayer(raster: Raster): Background {
  const { width, height } = raster;
  const strips: Strip[] = [];
  const rows: Rows = { pixels: raster.pixels, channels: 4, first: 0 };
  for (let y = 0; y < height; y += STRIP_ROWS) strips.push(compressStrip(width, height, rows, undefined, y));
  return { width, height, strips, bytes: strips.reduce((sum, strip) => sum + strip.deflated.length, 0) };
}

/**
 * Paints `overlay` over the opaque `background` ("source over", premultiplied alpha)
 * and encodes the result as an 8-bit RGB PNG. Neither input is modified.
 *
 * The image data is compressed in strips of rows, each ended with a full flush so that
 * strips can be concatenated: the background's strips are compressed once, and a
 * certificate only decompresses, composites and compresses again the strips its variable
 * elements touch. Written against node:zlib: pngjs filters and packs pixels in JavaScript
 * and takes 60-90 ms for a 1200 px certificate.
 */
export function composePng(background: Background, overlay: Raster): Uint8Array {
  const { width, height } = background;
  if (width !== overlay.width || height !== overlay.height) {
    throw new CertforgeError('INTERNAL', 'Preview layers differ in size', {
      background: [background.width, background.height],
      overlay: [overlay.width, overlay.height],
    });
  }
  const strips = background.strips.map((strip, index) => {
    const y0 = index * STRIP_ROWS;
    if (!touches(overlay, y0, Math.min(height, y0 + STRIP_ROWS))) return strip;
    return compressStrip(width, height, decodeStrip(strip, width, y0), overlay, y0);
  });
  let adler = 1;
  for (const strip of strips) adler = adler32Combine(adler, strip.adler, strip.length);
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(adler >>> 0, 0);
  const idat = Buffer.concat([ZLIB_HEADER, ...strips.map((strip) => strip.deflated), EMPTY_FINAL_BLOCK, trailer]);
  return pngFile(width, height, PNG_RGB, idat);
}

/** PNG colour types used by certforge (8 bits per sample). */
export const PNG_RGB = 2;
export const PNG_RGBA = 6;

/** A PNG file from its zlib-compressed image data (IDAT): signature, IHDR, IDAT, IEND, in one buffer. */
export function pngFile(width: number, height: number, colourType: number, idat: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = colourType;
  const out = Buffer.allocUnsafe(PNG_SIGNATURE.length + 3 * 12 + header.length + idat.length);
  PNG_SIGNATURE.copy(out, 0);
  let at = writeChunk(out, PNG_SIGNATURE.length, 'IHDR', header);
  at = writeChunk(out, at, 'IDAT', idat);
  writeChunk(out, at, 'IEND', new Uint8Array(0));
  return out;
}

/** zlib header: deflate, 32 KiB window, no preset dictionary (0x7801 % 31 == 0). */
const ZLIB_HEADER = Buffer.from([0x78, 0x01]);
/** An empty final block with fixed Huffman codes: BFINAL=1, BTYPE=01, end-of-block. */
const EMPTY_FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/** Whether any overlay pixel in rows [y0, y1) is not fully transparent. */
function touches(overlay: Raster, y0: number, y1: number): boolean {
  const px = overlay.pixels;
  for (let i = y0 * overlay.width * 4 + 3, end = y1 * overlay.width * 4; i < end; i += 4) {
    if (px[i] !== 0) return true;
  }
  return false;
}

/** The filtered rows of the strip being compressed (compressStrip). */
let scratch = Buffer.alloc(0);
/** The RGB rows of the background strip being composited (decodeStrip). */
let decoded = new Uint8Array(0);

/** A background strip's rows as RGB pixels again: inflated, the "Sub" filter undone. */
function decodeStrip(strip: Strip, width: number, y0: number): Rows {
  const filtered = inflateRawSync(strip.deflated, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  const stride = 1 + width * 3;
  const rows = filtered.length / stride;
  if (!Number.isInteger(rows) || filtered.length !== strip.length) {
    throw new CertforgeError('INTERNAL', 'A preview background strip does not decode to whole rows', {
      bytes: filtered.length,
      expected: strip.length,
    });
  }
  if (decoded.length < width * 3 * rows) decoded = new Uint8Array(width * 3 * STRIP_ROWS);
  let o = 0;
  for (let r = 0; r < rows; r++) {
    let i = r * stride + 1; // after the filter type byte (always Sub: compressStrip)
    decoded[o] = filtered[i]!;
    decoded[o + 1] = filtered[i + 1]!;
    decoded[o + 2] = filtered[i + 2]!;
    for (i += 3, o += 3; i < (r + 1) * stride; i++, o++) decoded[o] = (filtered[i]! + decoded[o - 3]!) & 255;
  }
  return { pixels: decoded, channels: 3, first: y0 };
}

/** Composites, filters ("Sub") and compresses rows [y0, y0 + STRIP_ROWS) of `bg` under `overlay`. */
function compressStrip(width: number, height: number, bg: Rows, overlay: Raster | undefined, y0: number): Strip {
  const y1 = Math.min(height, y0 + STRIP_ROWS);
  const px = bg.pixels;
  const step = bg.channels;
  const fg = overlay?.pixels;
  const stride = 1 + width * 3;
  // One scratch buffer for every strip (compressed synchronously below), not 100 KB of garbage each.
  if (scratch.length < stride * (y1 - y0)) scratch = Buffer.allocUnsafe(stride * STRIP_ROWS);
  const raw = scratch.subarray(0, stride * (y1 - y0));
  let o = 0;
  for (let y = y0; y < y1; y++) {
    raw[o++] = 1; // filter type Sub: each byte minus the byte 3 to its left
    let pr = 0;
    let pg = 0;
    let pb = 0;
    for (let x = 0, i = y * width * 4, j = (y - bg.first) * width * step; x < width; x++, i += 4, j += step) {
      let r = px[j];
      let g = px[j + 1];
      let b = px[j + 2];
      const a = fg ? fg[i + 3] : 0;
      if (fg && a === 255) {
        r = fg[i];
        g = fg[i + 1];
        b = fg[i + 2];
      } else if (fg && a !== 0) {
        const k = 255 - a;
        r = (fg[i] + (r * k + 127) / 255) | 0;
        g = (fg[i + 1] + (g * k + 127) / 255) | 0;
        b = (fg[i + 2] + (b * k + 127) / 255) | 0;
      }
      raw[o++] = (r - pr) & 255;
      raw[o++] = (g - pg) & 255;
      raw[o++] = (b - pb) & 255;
      pr = r;
      pg = g;
      pb = b;
    }
  }
  return {
    deflated: deflateRawSync(raw, { level: 3, finishFlush: zlibConstants.Z_FULL_FLUSH }),
    adler: adler32(raw),
    length: raw.length,
  };
}

const ADLER_BASE = 65521;

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length;) {
    // 5552 bytes keep the sums below 2^32 before the modulo (zlib's NMAX).
    const end = Math.min(data.length, i + 5552);
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= ADLER_BASE;
    b %= ADLER_BASE;
  }
  return ((b << 16) | a) >>> 0;
}

/** Adler-32 of A followed by B, from the checksums of A and B and B's length (zlib's adler32_combine). */
function adler32Combine(adlerA: number, adlerB: number, lengthB: number): number {
  const rem = lengthB % ADLER_BASE;
  let sum1 = adlerA & 0xffff;
  let sum2 = (rem * sum1) % ADLER_BASE;
  sum1 += (adlerB & 0xffff) + ADLER_BASE - 1;
  sum2 += ((adlerA >>> 16) & 0xffff) + ((adlerB >>> 16) & 0xffff) + ADLER_BASE - rem;
  if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE;
  if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE;
  if (sum2 >= ADLER_BASE * 2) sum2 -= ADLER_BASE * 2;
  if (sum2 >= ADLER_BASE) sum2 -= ADLER_BASE;
  return ((sum2 << 16) | sum1) >>> 0;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Writes one chunk (length, type, data, CRC) at `at`; returns where the next one starts. */
function writeChunk(out: Buffer, at: number, type: string, data: Uint8Array): number {
  out.writeUInt32BE(data.length, at);
  out.write(type, at + 4, 'ascii');
  out.set(data, at + 8);
  out.writeUInt32BE(crc32(out.subarray(at + 4, at + 8 + data.length)), at + 8 + data.length);
  return at + 12 + data.length;
}
