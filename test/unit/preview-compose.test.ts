/**
 * The layered PNG preview (functions/src/render/preview.ts): a template's background kept only as
 * compressed strips, a certificate's overlay painted over the strips it touches. Checked against
 * a plain "source over" of the full rasters, decoded with pngjs, for overlays that touch no strip,
 * one strip, strip borders, the last (short) strip and every strip.
 */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { backgroundLayer, composePng, type Raster } from '../../functions/src/render/preview.js';

const W = 97; // odd: rows are not a multiple of 4 bytes
const H = 101; // the last strip is short (101 = 3 × 32 + 5)

/** An opaque background with detail in every row and column (premultiplied RGBA). */
function background(): Raster {
  const pixels = new Uint8Array(W * H * 4);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 4;
      pixels[i] = (x * 7 + y * 3) & 255;
      pixels[i + 1] = (x * y) & 255;
      pixels[i + 2] = (255 - x * 2) & 255;
      pixels[i + 3] = 255;
    }
  return { width: W, height: H, pixels };
}

/** A transparent overlay with a premultiplied, partly opaque box over rows [y0, y1). */
function overlay(y0: number, y1: number): Raster {
  const pixels = new Uint8Array(W * H * 4);
  for (let y = y0; y < y1; y++)
    for (let x = 10; x < 60; x++) {
      const i = (y * W + x) * 4;
      const a = x % 3 === 0 ? 255 : 40 + x;
      pixels[i] = Math.round((200 * a) / 255);
      pixels[i + 1] = Math.round((30 * a) / 255);
      pixels[i + 2] = Math.round((90 * a) / 255);
      pixels[i + 3] = a;
    }
  return { width: W, height: H, pixels };
}

/** "Source over" of premultiplied `fg` on opaque `bg`, as RGBA with alpha 255. */
function reference(bg: Raster, fg: Raster): Uint8Array {
  const out = new Uint8Array(W * H * 4);
  for (let i = 0; i < out.length; i += 4) {
    const a = fg.pixels[i + 3]!;
    for (let c = 0; c < 3; c++)
      out[i + c] =
        a === 255 ? fg.pixels[i + c]! : (fg.pixels[i + c]! + (bg.pixels[i + c]! * (255 - a) + 127) / 255) | 0;
    out[i + 3] = 255;
  }
  return out;
}

describe('layered preview', () => {
  const bg = background();
  const layer = backgroundLayer(bg);

  it('keeps the background as compressed strips only, of every row', () => {
    expect(layer.strips).toHaveLength(Math.ceil(H / 32));
    expect(layer.bytes).toBe(layer.strips.reduce((sum, strip) => sum + strip.deflated.length, 0));
    expect(layer).not.toHaveProperty('pixels');
    expect(bg.pixels[3]).toBe(255); // the raster itself is left as it was
  });

  it.each([
    ['no strip', 0, 0],
    ['inside one strip', 40, 50],
    ['across a strip border', 30, 34],
    ['the short last strip', 96, 101],
    ['every strip', 0, 101],
  ])('paints an overlay touching %s exactly as a full composite', (_what, y0, y1) => {
    const fg = overlay(y0, y1);
    const png = PNG.sync.read(Buffer.from(composePng(layer, fg)));
    expect([png.width, png.height]).toEqual([W, H]);
    expect(new Uint8Array(png.data)).toEqual(reference(bg, fg));
  });

  it('refuses layers of different sizes', () => {
    expect(() => composePng(layer, { width: W, height: H - 1, pixels: new Uint8Array(W * (H - 1) * 4) })).toThrow(
      /differ in size/,
    );
  });
});
