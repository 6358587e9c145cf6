/**
 * Generates test/bench/templates/rich.svg: an A4 landscape certificate with a lot of
 * vector artwork, the worst realistic case for the render pipeline:
 *
 * - linear and radial gradients, a clip path and a luminance mask;
 * - several hundred guilloche / rosette paths (the security-paper look);
 * - a 200x200 PNG logo embedded as a data: URI (generated here with pngjs);
 * - name, talk and event placeholders with fit boxes.
 *
 * Deterministic: no randomness, no clock; running it twice gives the same bytes.
 *
 *   npx tsx test/bench/make-rich-template.ts        (writes the file, prints its stats)
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PngImage {
  data: Buffer;
}
interface PngModule {
  PNG: {
    new (options: { width: number; height: number }): PngImage;
    sync: { write(png: PngImage, options?: { colorType?: number }): Buffer };
  };
}
// pngjs (root devDependency) ships no types; a local interface keeps `tsc --noEmit` clean.
const { PNG } = createRequire(import.meta.url)('pngjs') as PngModule;

const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, 'templates', 'rich.svg');

const W = 1122.52;
const H = 793.7;
const TAU = Math.PI * 2;

const f = (n: number): string => {
  const s = n.toFixed(1);
  return s === '-0.0' ? '0.0' : s;
};

/** A polyline path through `points` (closed when `close`). */
function pathData(points: Array<[number, number]>, close: boolean): string {
  const [first, ...rest] = points;
  return `M${f(first![0])} ${f(first![1])}L${rest.map(([x, y]) => `${f(x)} ${f(y)}`).join(' ')}${close ? 'Z' : ''}`;
}

/** Closed rose/epicycloid-like curve: r(t) = r0 + a·sin(k·t + phase), rotated by `rot`. */
function rosetteCurve(
  cx: number,
  cy: number,
  r0: number,
  a: number,
  k: number,
  phase: number,
  rot: number,
  steps: number,
): string {
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < steps; i++) {
    const t = (i / steps) * TAU;
    const r = r0 + a * Math.sin(k * t + phase);
    pts.push([cx + r * Math.cos(t + rot), cy + r * Math.sin(t + rot)]);
  }
  return pathData(pts, true);
}

/** Horizontal guilloche wave between x0 and x1 around baseline y. */
function hWave(x0: number, x1: number, y: number, amp: number, periods: number, phase: number, steps: number): string {
  const pts: Array<[number, number]> = [];
  for (let i = 0; i <= steps; i++) {
    const u = i / steps;
    const t = u * periods * TAU;
    pts.push([x0 + (x1 - x0) * u, y + amp * Math.sin(t + phase) * Math.cos(t / 3 - phase / 2)]);
  }
  return pathData(pts, false);
}

/** Vertical wave between y0 and y1 around x. */
function vWave(x: number, y0: number, y1: number, amp: number, periods: number, phase: number, steps: number): string {
  const pts: Array<[number, number]> = [];
  for (let i = 0; i <= steps; i++) {
    const u = i / steps;
    const t = u * periods * TAU;
    pts.push([x + amp * Math.sin(t + phase), y0 + (y1 - y0) * u]);
  }
  return pathData(pts, false);
}

/** A 200x200 RGBA badge: radial gold gradient, 16-point star, anti-aliased round edge. */
function makeLogoPng(): Buffer {
  const size = 200;
  const png = new PNG({ width: size, height: size });
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - c;
      const dy = y - c;
      const r = Math.hypot(dx, dy);
      const ang = Math.atan2(dy, dx);
      const star = 62 + 22 * Math.cos(16 * ang);
      const t = Math.min(1, r / 98);
      // base: deep navy ring to gold centre
      let red = 28 + (212 - 28) * (1 - t);
      let green = 43 + (175 - 43) * (1 - t);
      let blue = 74 + (55 - 74) * (1 - t);
      if (r < star) {
        const k = 1 - r / star;
        red = red + (255 - red) * k * 0.8;
        green = green + (236 - green) * k * 0.8;
        blue = blue + (179 - blue) * k * 0.8;
      }
      if (r > 86 && r < 90) {
        red = 255;
        green = 244;
        blue = 214;
      }
      const alpha = Math.max(0, Math.min(1, 98.5 - r));
      const i = (y * size + x) * 4;
      png.data[i] = Math.round(red);
      png.data[i + 1] = Math.round(green);
      png.data[i + 2] = Math.round(blue);
      png.data[i + 3] = Math.round(alpha * 255);
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

export function makeRichTemplate(): { svg: string; paths: number; pngBytes: number } {
  const paths: string[] = [];

  // 1. Guilloche bands top and bottom (masked): 2 x 70 waves.
  const bandTop: string[] = [];
  const bandBottom: string[] = [];
  for (let i = 0; i < 70; i++) {
    const phase = (i / 70) * TAU;
    bandTop.push(`<path d="${hWave(40, W - 40, 62, 18, 9, phase, 100)}"/>`);
    bandBottom.push(`<path d="${hWave(40, W - 40, H - 62, 18, 9, -phase, 100)}"/>`);
  }

  // 2. Side waves: 2 x 20.
  const sides: string[] = [];
  for (let i = 0; i < 20; i++) {
    const phase = (i / 20) * TAU;
    sides.push(`<path d="${vWave(58, 100, H - 100, 12, 7, phase, 72)}"/>`);
    sides.push(`<path d="${vWave(W - 58, 100, H - 100, 12, 7, -phase, 72)}"/>`);
  }

  // 3. Central rosette (clipped): 160 curves.
  const rosette: string[] = [];
  for (let i = 0; i < 160; i++) {
    const rot = (i / 160) * (TAU / 12);
    rosette.push(
      `<path d="${rosetteCurve(W / 2, H / 2 + 10, 175 + 22 * Math.sin((i / 160) * TAU * 3), 60 + 15 * Math.cos((i / 160) * TAU), 12, 0, rot, 72)}"/>`,
    );
  }

  // 4. Corner rosettes: 4 x 30 small curves.
  const corners: string[] = [];
  const cornerCentres: Array<[number, number]> = [
    [118, 132],
    [W - 118, 132],
    [118, H - 132],
    [W - 118, H - 132],
  ];
  for (const [cx, cy] of cornerCentres) {
    for (let i = 0; i < 30; i++) {
      corners.push(
        `<path d="${rosetteCurve(cx, cy, 32 + 4 * Math.sin((i / 30) * TAU), 14, 9, 0, (i / 30) * (TAU / 9), 48)}"/>`,
      );
    }
  }

  // 5. Seal: 24 petals.
  const seal: string[] = [];
  for (let i = 0; i < 24; i++) {
    seal.push(`<path d="${rosetteCurve(W - 270, H - 150, 40, 8, 18, 0, (i / 24) * (TAU / 18), 72)}"/>`);
  }

  for (const group of [bandTop, bandBottom, sides, rosette, corners, seal]) paths.push(...group);

  const png = makeLogoPng();
  const logo = `data:image/png;base64,${png.toString('base64')}`;

  const svg = `<?xml version="1.0" encoding="UTF-8"?>
<!-- certforge bench template "rich": generated by test/bench/make-rich-template.ts, do not edit by hand.
     ${paths.length} guilloche/rosette paths, gradients, a clip path, a mask and an embedded PNG logo. -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="297mm" height="210mm" viewBox="0 0 ${W} ${H}">
  <defs>
    <linearGradient id="paper" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#FBF7EC"/>
      <stop offset="0.5" stop-color="#FFFFFF"/>
      <stop offset="1" stop-color="#F3EBD6"/>
    </linearGradient>
    <linearGradient id="gold" x1="0" y1="0" x2="${W}" y2="${H}" gradientUnits="userSpaceOnUse">
      <stop offset="0" stop-color="#8A6A1F"/>
      <stop offset="0.35" stop-color="#D4AF37"/>
      <stop offset="0.65" stop-color="#F6E27A"/>
      <stop offset="1" stop-color="#8A6A1F"/>
    </linearGradient>
    <linearGradient id="ink" x1="0" y1="0" x2="1" y2="0">
      <stop offset="0" stop-color="#1C2B4A"/>
      <stop offset="1" stop-color="#3B5B92"/>
    </linearGradient>
    <radialGradient id="glow" cx="${W / 2}" cy="${H / 2}" r="420" gradientUnits="userSpaceOnUse">
      <stop offset="0" stop-color="#FFF6D8" stop-opacity="0.9"/>
      <stop offset="0.7" stop-color="#FFF6D8" stop-opacity="0.25"/>
      <stop offset="1" stop-color="#FFF6D8" stop-opacity="0"/>
    </radialGradient>
    <radialGradient id="sealFill" cx="0.4" cy="0.35" r="0.75">
      <stop offset="0" stop-color="#F6E27A"/>
      <stop offset="0.6" stop-color="#D4AF37"/>
      <stop offset="1" stop-color="#8A6A1F"/>
    </radialGradient>
    <linearGradient id="fade" x1="0" y1="0" x2="1" y2="0">
      <stop offset="0" stop-color="#000000"/>
      <stop offset="0.2" stop-color="#FFFFFF"/>
      <stop offset="0.8" stop-color="#FFFFFF"/>
      <stop offset="1" stop-color="#000000"/>
    </linearGradient>
    <mask id="bandMask" maskUnits="userSpaceOnUse" x="0" y="0" width="${W}" height="${H}">
      <rect x="0" y="0" width="${W}" height="${H}" fill="url(#fade)"/>
    </mask>
    <clipPath id="rosetteClip">
      <ellipse cx="${W / 2}" cy="${H / 2 + 10}" rx="330" ry="250"/>
    </clipPath>
  </defs>

  <!-- paper -->
  <rect x="0" y="0" width="${W}" height="${H}" fill="url(#paper)"/>
  <rect x="0" y="0" width="${W}" height="${H}" fill="url(#glow)"/>

  <!-- guilloche bands (masked) -->
  <g mask="url(#bandMask)" fill="none" stroke="#2F6F73" stroke-width="0.45" stroke-opacity="0.55">
    ${bandTop.join('\n    ')}
    ${bandBottom.join('\n    ')}
  </g>

  <!-- side waves -->
  <g fill="none" stroke="url(#gold)" stroke-width="0.5" stroke-opacity="0.7">
    ${sides.join('\n    ')}
  </g>

  <!-- central rosette (clipped) -->
  <g clip-path="url(#rosetteClip)" fill="none" stroke="#B8C7E0" stroke-width="0.35" stroke-opacity="0.6">
    ${rosette.join('\n    ')}
  </g>

  <!-- corner rosettes -->
  <g fill="none" stroke="url(#gold)" stroke-width="0.4">
    ${corners.join('\n    ')}
  </g>

  <!-- frame -->
  <rect x="24" y="24" width="${f(W - 48)}" height="${f(H - 48)}" fill="none" stroke="url(#gold)" stroke-width="5"/>
  <rect x="34" y="34" width="${f(W - 68)}" height="${f(H - 68)}" fill="none" stroke="#1C2B4A" stroke-width="1.2"/>

  <!-- logo -->
  <image x="${f(W / 2 - 44)}" y="48" width="88" height="88" xlink:href="${logo}"/>

  <!-- seal -->
  <g>
    <circle cx="${f(W - 270)}" cy="${f(H - 150)}" r="54" fill="url(#sealFill)"/>
    <g fill="none" stroke="#FFF6D8" stroke-width="0.6" stroke-opacity="0.9">
      ${seal.join('\n      ')}
    </g>
    <circle cx="${f(W - 270)}" cy="${f(H - 150)}" r="28" fill="#1C2B4A"/>
  </g>

  <!-- static text -->
  <text x="${W / 2}" y="186" text-anchor="middle" font-family="Playfair Display" font-size="46" font-weight="bold" fill="url(#ink)" letter-spacing="2">Certificate of Excellence</text>
  <text x="${W / 2}" y="232" text-anchor="middle" font-family="Noto Sans" font-size="16" fill="#4B5563" letter-spacing="1">This certificate is proudly presented to</text>
  <text x="${W / 2}" y="392" text-anchor="middle" font-family="Noto Sans" font-size="16" fill="#4B5563">in recognition of the outstanding talk</text>
  <text x="${W / 2}" y="526" text-anchor="middle" font-family="Noto Sans" font-size="15" fill="#4B5563">delivered at</text>

  <!-- variable text -->
  <text x="${W / 2}" y="314" text-anchor="middle" font-family="Playfair Display" font-size="54" font-weight="bold" fill="#1C2B4A" data-fit-width="760" data-fit-min-size="28" data-fit-lines="2" data-fit-line-height="1.08">{{name}}</text>
  <text x="${W / 2}" y="448" text-anchor="middle" font-family="Noto Sans" font-size="26" font-weight="bold" fill="#2F6F73" data-fit-width="760" data-fit-min-size="16" data-fit-lines="2" data-fit-line-height="1.25">{{talk.title | An untitled talk}}</text>
  <text x="${W / 2}" y="566" text-anchor="middle" font-family="Noto Sans" font-size="22" font-weight="bold" fill="#1C2B4A" data-fit-width="640" data-fit-min-size="14">{{event.name}}</text>
  <text x="${W / 2}" y="598" text-anchor="middle" font-family="Noto Sans" font-size="15" fill="#4B5563" data-fit-width="640" data-fit-min-size="10">{{event.date}} · {{event.place | }}</text>
</svg>
`;
  return { svg, paths: paths.length, pngBytes: png.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { svg, paths, pngBytes } = makeRichTemplate();
  writeFileSync(OUT, svg);
  console.log(`wrote ${OUT}: ${paths} paths, ${(svg.length / 1024).toFixed(1)} KiB, logo PNG ${pngBytes} bytes`);
}
