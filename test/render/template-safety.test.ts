/**
 * Template safety through the pipeline (issue 9): a memory ceiling behind every limit, fonts
 * that stay with their template, caches with byte budgets, bounded previews, and hostile
 * templates through the CLI with --png (typed error, < 10 s, < 400 MB peak RSS).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, createDeflate } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CACHE_BUDGETS,
  CertforgeError,
  Core,
  bundledFontFiles,
  PNG_MAX_PIXELS,
  PNG_RGBA,
  pngFile,
  Renderer,
  type CertificateData,
} from '../../functions/src/render/index.js';
import { fontNames, fontsForTemplate } from '../../functions/src/render/font-names.js';
import { rootPath } from '../helpers/fixtures.js';
import { inflatedPdf } from '../helpers/pdf-tools.js';

const A4 = 'width="297mm" height="210mm" viewBox="0 0 1122.52 793.7"';
const svg = (body: string, root = A4) =>
  `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ${root}>${body}</svg>`;
const data: CertificateData = { name: 'Ada Lovelace', event: { name: 'Conf', date: '2026-05-01' } };
const FONTS_DIR = (family: string) => rootPath(`functions/node_modules/@expo-google-fonts/${family}`);
const montserrat = (dir: string) =>
  new Uint8Array(
    readFileSync(rootPath(`functions/node_modules/@expo-google-fonts/montserrat/${dir}/Montserrat_${dir}.ttf`)),
  );

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof CertforgeError) return error.code;
    throw error;
  }
}

/** A real, valid RGBA PNG of `size` × `size` black pixels (compressed to a few hundred KB). */
async function hugePng(size: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 1, strategy: constants.Z_RLE });
  const parts: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => parts.push(chunk));
  const row = Buffer.alloc(1 + size * 4);
  for (let y = 0; y < size; y++) if (!deflate.write(row)) await new Promise((r) => deflate.once('drain', r));
  await new Promise((r) => deflate.end(r));
  return pngFile(size, size, PNG_RGBA, Buffer.concat(parts));
}

let renderer: Renderer;
beforeAll(async () => {
  renderer = await Renderer.create();
});

describe('fonts stay with their template', () => {
  const italic = svg(
    '<text x="100" y="300" font-family="Montserrat" font-style="italic" font-size="60">{{name}}</text>',
  );
  it('another template bringing Montserrat Black Italic does not change this one, before or after', async () => {
    const before = await renderer.renderCertificate(italic, data, { png: true });
    // Same family and style, from another "event": its own font.
    const other = renderer.compileTemplate(italic + '<!-- other event -->', { fonts: [montserrat('900Black_Italic')] });
    const withOwn = await renderer.renderCertificate(other, data, { png: false });
    expect(withOwn.pdf).not.toEqual(before.pdf);
    expect(inflatedPdf(withOwn.pdf).includes('Montserrat-BlackItalic')).toBe(true);
    const fresh = await Renderer.create();
    const after = await renderer.renderCertificate(italic, data, { png: true });
    const elsewhere = await fresh.renderCertificate(italic, data, { png: true });
    expect(Buffer.from(after.pdf).equals(Buffer.from(before.pdf))).toBe(true);
    expect(Buffer.from(after.png!).equals(Buffer.from(before.png!))).toBe(true);
    // Same bytes as on an instance that never saw the other template.
    expect(Buffer.from(after.pdf).equals(Buffer.from(elsewhere.pdf))).toBe(true);
    expect(inflatedPdf(after.pdf).includes('BlackItalic')).toBe(false);
  });

  it('a folder of 21 faces loads: the 18 Montserrat weights and 3 Playfair Display faces the template names', async () => {
    const weights = readdirSync(FONTS_DIR('montserrat')).filter((d) => /^\d/.test(d));
    const playfair = ['400Regular', '700Bold', '400Regular_Italic'].map((w) =>
      readFileSync(join(FONTS_DIR('playfair-display'), w, `PlayfairDisplay_${w}.ttf`)),
    );
    const folder = [...weights.map((w) => montserrat(w)), ...playfair];
    expect(folder).toHaveLength(21);
    // Before: LIMIT_EXCEEDED (21 > 16), though the template uses two families.
    const template = renderer.compileTemplate(
      svg(
        '<text x="100" y="200" font-family="Montserrat" font-weight="900" font-style="italic" font-size="60">{{name}}</text>' +
          '<text x="100" y="400" font-family="Playfair Display" font-weight="700" font-size="40">Certificate</text>',
      ),
      { fonts: folder },
    );
    const result = await renderer.renderCertificate(template, data, { png: false });
    const pdf = inflatedPdf(result.pdf);
    expect(pdf.includes('Montserrat-BlackItalic')).toBe(true);
    expect(pdf.includes('PlayfairDisplay-Bold')).toBe(true);
  });

  it('five Noto Sans S Chinese weights (42 MB) load when the template names the family', async () => {
    const dir = join(rootPath('functions/node_modules/@embedpdf/fonts-sc/fonts'));
    const faces = readdirSync(dir).map((f) => readFileSync(join(dir, f)));
    expect(faces.reduce((n, f) => n + f.length, 0)).toBeGreaterThan(40 * 1024 * 1024);
    const template = renderer.compileTemplate(
      svg('<text x="100" y="200" font-family="Noto Sans S Chinese" font-weight="300" font-size="60">{{name}}</text>'),
      { fonts: faces },
    );
    const result = await renderer.renderCertificate(template, { ...data, name: '王小明' }, { png: false });
    expect(inflatedPdf(result.pdf).includes('NotoSansHans-Light')).toBe(true);
  });

  it('the fonts a template names are capped (32 files, 64 MiB); fonts it does not name are left out beyond', () => {
    const font = montserrat('400Regular');
    const named = svg('<text y="50" font-family="Montserrat">{{name}}</text>');
    expect(() => renderer.compileTemplate(named, { fonts: Array(33).fill(font) })).toThrow(
      expect.objectContaining({ code: 'LIMIT_EXCEEDED' }),
    );
    const unnamed = fontsForTemplate(Buffer.from(svg('<text y="50">{{name}}</text>')), Array(40).fill(font));
    expect(unnamed).toHaveLength(32);
    expect(fontNames(font)).toEqual(expect.arrayContaining(['Montserrat', 'Montserrat-Regular']));
  });
});

describe('memory ceiling', () => {
  it('a render that needs more memory than the core may use is LIMIT_EXCEEDED, and the core restarts', async () => {
    const png = await hugePng(10_000); // 400 MB decoded, over the core's 384 MiB maximum
    const template = svg(
      `<image href="data:image/png;base64,${png.toString('base64')}" width="100" height="100"/><text y="50">{{name}}</text>`,
    );
    const core = await Core.create(bundledFontFiles('eager'));
    // Limits raised on purpose, so that the image reaches the decoder and the ceiling is what stops it.
    const limits = { maxImagePixels: 200_000_000, maxTotalImagePixels: 200_000_000 };
    const started = Date.now();
    let error: unknown;
    try {
      core.compile(new TextEncoder().encode(template), { limits });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CertforgeError);
    expect((error as CertforgeError).code).toBe('LIMIT_EXCEEDED');
    expect((error as CertforgeError).details).toMatchObject({ trap: true });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(core.restartCount).toBe(1);
    // The restarted core works; with the default limits the same template is refused before anything decodes it.
    const { id } = core.compile(new TextEncoder().encode(svg('<text y="50">{{name}}</text>')));
    expect(core.render(id, data).pdf.length).toBeGreaterThan(1000);
    expect(await codeOf(renderer.renderCertificate(template, data))).toBe('LIMIT_EXCEEDED');
  });
});

describe('caches and previews are bounded', () => {
  it('previews at many widths stay within the background budget', async () => {
    const template = renderer.compileTemplate(
      svg('<rect width="1122" height="793" fill="#eef"/><text x="50" y="100">{{name}}</text>'),
    );
    for (let width = 5993; width <= 6000; width++) {
      const out = await renderer.renderCertificate(template, data, { pngWidth: width });
      expect(out.png!.length).toBeGreaterThan(0);
    }
    const usage = renderer.cacheUsage;
    expect(usage.backgrounds.bytes).toBeLessThanOrEqual(CACHE_BUDGETS.backgrounds.maxBytes);
    expect(usage.backgrounds.entries).toBeLessThan(8);
  });

  it('compiled templates beyond the budget are evicted, and compiled again when used', async () => {
    const first = renderer.compileTemplate(svg('<text y="50">{{name}} 0</text>'));
    for (let i = 1; i <= CACHE_BUDGETS.templates.maxEntries + 4; i++)
      renderer.compileTemplate(svg(`<text y="50">{{name}} ${i}</text>`));
    expect(renderer.cacheUsage.templates.entries).toBeLessThanOrEqual(CACHE_BUDGETS.templates.maxEntries);
    const out = await renderer.renderCertificate(first, data, { png: false });
    expect(out.pdf.length).toBeGreaterThan(1000);
  });

  it('a tall page at a wide preview is scaled down to the pixel budget, with a warning', async () => {
    const tall = svg('<text x="5" y="50" font-size="10">{{name}}</text>', 'width="20mm" height="380mm"');
    const out = await renderer.renderCertificate(tall, data, { pngWidth: 6000 });
    const png = Buffer.from(out.png!);
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    expect(w * h).toBeLessThanOrEqual(PNG_MAX_PIXELS);
    expect(out.warnings.map((x) => x.code)).toContain('PREVIEW_DOWNSCALED');
  });

  it('a 10 mm × 2000 mm page is refused (page aspect)', async () => {
    expect(
      await codeOf(
        renderer.renderCertificate(svg('<text y="5">{{name}}</text>', 'width="10mm" height="2000mm"'), data),
      ),
    ).toBe('LIMIT_EXCEEDED');
  });
});

describe('hostile templates through the CLI with --png', () => {
  const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
  const bomb = `<!DOCTYPE svg [<!ENTITY a "${'A'.repeat(1000)}"><!ENTITY b "${'&a;'.repeat(1000)}">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>${'&b;'.repeat(2000)}</text></svg>`;
  const pngHeader = (w: number, h: number) => {
    const b = Buffer.alloc(33 + 12_000);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).copy(b);
    b.write('IHDR', 12, 'ascii');
    b.writeUInt32BE(w, 16);
    b.writeUInt32BE(h, 20);
    b[24] = 8;
    b[25] = 2;
    return b;
  };
  const name = '<text x="10" y="50">{{name}}</text>';
  // An SVG image gets the template's own checks: the entity bomb inside is LIMIT_EXCEEDED
  // in every spelling of its data: URL (it was UNSUPPORTED_CONTENT when SVG images were refused).
  const cases: Array<[string, string, string]> = [
    [
      'nested SVG, no media type',
      svg(`<image href="data:;base64,${b64(bomb)}" width="10" height="10"/>${name}`),
      'LIMIT_EXCEEDED',
    ],
    [
      'nested SVG, upper case',
      svg(`<image href="data:image/SVG+XML;base64,${b64(bomb)}" width="10" height="10"/>${name}`),
      'LIMIT_EXCEEDED',
    ],
    [
      'nested SVG, percent-encoded',
      svg(`<image href="data:,${encodeURIComponent(bomb)}" width="10" height="10"/>${name}`),
      'LIMIT_EXCEEDED',
    ],
    [
      'nested SVG in feImage',
      svg(
        `<filter id="f"><feImage href="data:text/plain;base64,${b64(bomb)}"/></filter><rect width="9" height="9" filter="url(#f)"/>${name}`,
      ),
      'LIMIT_EXCEEDED',
    ],
    [
      'entity value with >',
      `<!DOCTYPE svg [<!ENTITY a ">${'A'.repeat(1000)}"><!ENTITY b ">${'&a;'.repeat(100)}">]>` +
        svg(`<text y="50">${'&b;'.repeat(2000)} {{name}}</text>`),
      'LIMIT_EXCEEDED',
    ],
    [
      'entity with markup',
      `<!DOCTYPE svg [<!ENTITY g "${'<g>'.repeat(20000)}${'</g>'.repeat(20000)}">]>` + svg(`&g;${name}`),
      'UNSUPPORTED_CONTENT',
    ],
    [
      '10000² PNG, ;BASE64',
      svg(`<image href="data:image/png;BASE64,${b64(pngHeader(10000, 10000))}" width="10" height="10"/>${name}`),
      'LIMIT_EXCEEDED',
    ],
    [
      '10000² PNG in feImage',
      svg(
        `<filter id="f"><feImage href="data:image/png; base64,${b64(pngHeader(10000, 10000))}"/></filter><rect width="9" height="9" filter="url(#f)"/>${name}`,
      ),
      'LIMIT_EXCEEDED',
    ],
    ['10 mm × 2000 mm page', svg(name, 'width="10mm" height="2000mm"'), 'LIMIT_EXCEEDED'],
    [
      'nested opacity layers',
      svg(
        `${'<g opacity="0.5">'.repeat(40)}<rect x="-9e4" y="-9e4" width="2e5" height="2e5"/>${'</g>'.repeat(40)}${name}`,
      ),
      'LIMIT_EXCEEDED',
    ],
  ];
  const dir = mkdtempSync(join(tmpdir(), 'certforge-hostile-'));
  const speakers = join(dir, 'speakers.json');
  writeFileSync(speakers, JSON.stringify([{ name: 'Ada Lovelace' }]));
  const reportRss =
    'data:text/javascript,process.on("exit",()=>process.stderr.write("MAXRSS_KB="+process.resourceUsage().maxRSS+"\\n"))';

  it('names with terminal escape sequences are printed escaped, never raw', () => {
    const file = join(dir, 'plain.svg');
    writeFileSync(file, svg('<text x="10" y="50">{{name}}</text>'));
    const names = join(dir, 'escapes.json');
    writeFileSync(names, JSON.stringify([{ name: 'Eve\u001b]0;pwned\u0007 \u001b[31mRed\u009b2J' }]));
    const run = spawnSync(
      process.execPath,
      [rootPath('functions/lib/cli/render.js'), '--template', file, '--data', names, '--out', join(dir, 'esc')],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const printed = run.stdout + run.stderr;
    expect(printed).not.toMatch(/[\u001b\u0007\u009b]/);
    expect(printed).toContain('Eve\\x1b]0;pwned\\x07');
  });

  it.each(cases)('%s → %s within 10 s and 400 MB', (label, template, code) => {
    const file = join(dir, `${label.replace(/\W+/g, '-')}.svg`);
    writeFileSync(file, template);
    const started = Date.now();
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        reportRss,
        rootPath('functions/lib/cli/render.js'),
        '--template',
        file,
        '--data',
        speakers,
        '--out',
        join(dir, 'out'),
        '--png',
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    const ms = Date.now() - started;
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toContain(code);
    expect(ms).toBeLessThan(10_000);
    const rssKb = Number(/MAXRSS_KB=(\d+)/.exec(run.stderr)?.[1]);
    expect(rssKb / 1024).toBeLessThan(400);
  });
});
