/**
 * PNG preview of the core's text-as-paths SVG with @resvg/resvg-wasm.
 * No fonts are loaded: all text is already outlined by the core.
 *
 * A template's static artwork is rasterised once per width (`rasterize`) and
 * each certificate only rasterises its variable elements and paints them over
 * a copy (`composePng`): the static layer is most of the pixels and most of
 * the drawing time.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Resvg, initWasm } from '@resvg/resvg-wasm';
import { crc32, deflateSync } from 'node:zlib';
import { CertforgeError } from './errors.js';

export const DEFAULT_PNG_WIDTH = 1200;

const require = createRequire(import.meta.url);

let initialized: Promise<void> | undefined;
let ready = false;

/** Initializes resvg-wasm once per process (a second initWasm() throws 'Already initialized'). */
export function initPreview(): Promise<void> {
  initialized ??= (async () => {
    const wasm = await readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm'));
    try {
      await initWasm(wasm);
    } catch (error) {
      // Another module of this process initialized the shared resvg-wasm singleton first.
      if (!(error instanceof Error && error.message.startsWith('Already initialized'))) throw error;
    }
    ready = true;
  })().catch((error: unknown) => {
    initialized = undefined;
    throw new CertforgeError(
      'NOT_INITIALIZED',
      `Cannot initialize resvg-wasm: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  });
  return initialized;
}

/** Rasterizes `svg` to a PNG `widthPx` wide on a white background. Call initPreview() first. */
export function renderPng(svg: string, widthPx = DEFAULT_PNG_WIDTH): Uint8Array {
  if (!ready) throw new CertforgeError('NOT_INITIALIZED', 'renderPng() called before initPreview() resolved');
  let resvg: InstanceType<typeof Resvg> | undefined;
  let image: ReturnType<InstanceType<typeof Resvg>['render']> | undefined;
  try {
    resvg = new Resvg(svg, {
      fitTo: { mode: 'width', value: widthPx },
      font: { loadSystemFonts: false },
      background: 'white',
    });
    image = resvg.render();
    return image.asPng();
  } catch (error) {
    if (error instanceof CertforgeError) throw error;
    throw new CertforgeError('RENDER_FAILED', `PNG preview failed: ${String(error)}`, {}, { cause: error });
  } finally {
    image?.free();
    resvg?.free();
  }
}

/** RGBA pixels, premultiplied alpha (as tiny-skia keeps them). */
export interface Raster {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Rasterizes `svg` to `widthPx` wide; transparent unless a background colour is given. */
export function rasterize(svg: string, widthPx = DEFAULT_PNG_WIDTH, background?: string): Raster {
  if (!ready) throw new CertforgeError('NOT_INITIALIZED', 'rasterize() called before initPreview() resolved');
  let resvg: InstanceType<typeof Resvg> | undefined;
  let image: ReturnType<InstanceType<typeof Resvg>['render']> | undefined;
  try {
    resvg = new Resvg(svg, {
      fitTo: { mode: 'width', value: widthPx },
      font: { loadSystemFonts: false },
      ...(background ? { background } : {}),
    });
    image = resvg.render();
    return { width: image.width, height: image.height, pixels: image.pixels };
  } catch (error) {
    if (error instanceof CertforgeError) throw error;
    throw new CertforgeError('RENDER_FAILED', `PNG preview failed: ${String(error)}`, {}, { cause: error });
  } finally {
    image?.free();
    resvg?.free();
  }
}

/**
 * Paints `overlay` over the opaque `background` ("source over", premultiplied
 * alpha) and encodes the result as an 8-bit RGB PNG. Neither input is modified.
 *
 * Written against node:zlib rather than pngjs: pngjs filters and packs pixels
 * in JavaScript and takes 60-90 ms for a 1200 px certificate; this single pass
 * (composite, RGBA→RGB, "Sub" filter) plus native deflate takes a few ms.
 */
export function composePng(background: Raster, overlay: Raster): Uint8Array {
  const { width, height } = background;
  if (width !== overlay.width || height !== overlay.height) {
    throw new CertforgeError('INTERNAL', 'Preview layers differ in size', {
      background: [background.width, background.height],
      overlay: [overlay.width, overlay.height],
    });
  }
  const bg = background.pixels;
  const fg = overlay.pixels;
  const stride = 1 + width * 3;
  const raw = Buffer.allocUnsafe(stride * height);
  for (let y = 0; y < height; y++) {
    let o = y * stride;
    raw[o++] = 1; // filter type Sub: each byte minus the byte 3 to its left
    let pr = 0;
    let pg = 0;
    let pb = 0;
    for (let x = 0, i = y * width * 4; x < width; x++, i += 4) {
      const a = fg[i + 3];
      let r = bg[i];
      let g = bg[i + 1];
      let b = bg[i + 2];
      if (a === 255) {
        r = fg[i];
        g = fg[i + 1];
        b = fg[i + 2];
      } else if (a !== 0) {
        const k = 255 - a;
        r = fg[i] + ((r * k + 127) / 255) | 0;
        g = fg[i + 1] + ((g * k + 127) / 255) | 0;
        b = fg[i + 2] + ((b * k + 127) / 255) | 0;
      }
      raw[o++] = (r - pr) & 255;
      raw[o++] = (g - pg) & 255;
      raw[o++] = (b - pb) & 255;
      pr = r;
      pg = g;
      pb = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type RGB
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 3 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
