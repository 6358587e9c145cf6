/**
 * The verification QR code (`<rect data-qr="{{certificate.url}}">`) of the bundled templates,
 * read back as a phone would: decoded with jsQR from the pipeline's PNG preview and from the
 * PDF rasterized by poppler's pdftoppm. The PDF draws it as vector paths: it has no image at all.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CertforgeError,
  initRenderer,
  type CertificateData,
  type Renderer,
  type Template,
} from '../../functions/src/render/index.js';
import { certificateData, speaker, templateBytes, templateText, type TemplateName } from '../helpers/fixtures.js';
import { pdfLib, runTool, testTempDir, writeTempPdf } from '../helpers/pdf-tools.js';

const { PDFDict, PDFName, PDFRawStream } = pdfLib;
// jsqr is CommonJS with `exports.default`: under NodeNext the default import is the module object.
const jsQR = jsQRModule.default;

/** A production-like URL: CERTFORGE_VERIFY_BASE_URL + a 22-character certificate id. */
const URL_22 = 'https://verify.certforge.dev/c/Zq3vX0bL9tYw2KcR8mNpQa';
/** A long URL (144 characters): a version 8 code (49 modules) at level M. */
const LONG_URL =
  'https://certificates.open-source-infrastructure-summit.example.org/verify/2026/krakow/speakers/' +
  'Zq3vX0bL9tYw2KcR8mNpQa?lang=pl&track=infra&src=qr';
const ID = 'Zq3vX0bL9tYw2KcR8mNpQa';

const CASES = [
  { what: 'a Vietnamese name', id: 'spk-001', url: URL_22 },
  { what: 'an Arabic (right-to-left) name', id: 'spk-010', url: URL_22 },
  { what: 'a Japanese (CJK) name', id: 'spk-015', url: URL_22 },
  { what: 'the 120-character name', id: 'spk-020', url: URL_22 },
  { what: 'a Chinese name and a long URL', id: 'spk-014', url: LONG_URL },
] as const;
const TEMPLATES: TemplateName[] = ['classic', 'modern'];

/** Preview width: the 21 mm code is then 171 px, 3.5 px a module for the long URL. */
const PNG_WIDTH = 2400;
/** pdftoppm resolution: the code is then 250 px. */
const PDF_DPI = 300;
/** Where both templates put their code: the right 28 % and the bottom 32 % of the page. */
const REGION = { left: 0.72, top: 0.68 };

interface Rgba {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

function readPng(bytes: Uint8Array): Rgba {
  const png = PNG.sync.read(Buffer.from(bytes));
  return {
    data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
    width: png.width,
    height: png.height,
  };
}

/** The bottom-right REGION of a page image (jsQR looks for the code there: faster than the page). */
function bottomRight(img: Rgba): Rgba {
  const x0 = Math.floor(img.width * REGION.left);
  const y0 = Math.floor(img.height * REGION.top);
  const width = img.width - x0;
  const height = img.height - y0;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const from = ((y0 + y) * img.width + x0) * 4;
    data.set(img.data.subarray(from, from + width * 4), y * width * 4);
  }
  return { data, width, height };
}

function decode(img: Rgba): string | undefined {
  return jsQR(img.data, img.width, img.height, {
    inversionAttempts: 'dontInvert',
  })?.data;
}

/** The bottom-right REGION of the first page of `pdf` as pdftoppm draws it at `dpi` (pt page size). */
function rasterizePdf(pdf: Uint8Array, dpi: number, page: { width: number; height: number }): Rgba {
  const stem = join(testTempDir(), `qr-${process.pid}-${++rasterized}`);
  const [w, h] = [Math.ceil((page.width / 72) * dpi), Math.ceil((page.height / 72) * dpi)];
  const [x, y] = [Math.floor(w * REGION.left), Math.floor(h * REGION.top)];
  const crop = ['-x', String(x), '-y', String(y), '-W', String(w - x), '-H', String(h - y)];
  runTool('pdftoppm', [
    '-r',
    String(dpi),
    ...crop,
    '-f',
    '1',
    '-l',
    '1',
    '-singlefile',
    '-png',
    writeTempPdf(pdf),
    stem,
  ]);
  return readPng(new Uint8Array(readFileSync(`${stem}.png`)));
}
let rasterized = 0;

/** Every image XObject of the PDF (pdf-lib also reads objects inside object streams). */
async function imageXObjects(pdf: Uint8Array): Promise<number> {
  const doc = await pdfLib.PDFDocument.load(pdf, { updateMetadata: false });
  let images = 0;
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    const dict = object instanceof PDFRawStream ? object.dict : object instanceof PDFDict ? object : undefined;
    if (dict?.get(PDFName.of('Subtype')) === PDFName.of('Image')) images++;
  }
  return images;
}

let renderer: Renderer;
const compiled = new Map<TemplateName, Template>();
beforeAll(async () => {
  renderer = await initRenderer();
  for (const name of TEMPLATES) compiled.set(name, renderer.compileTemplate(templateBytes(name)));
});

describe.each(TEMPLATES)('%s.svg', (template) => {
  it('has one QR code of {{certificate.url}} and keeps the printed URL', () => {
    const svg = templateText(template);
    const rects = [...svg.matchAll(/<rect\b[^>]*\bdata-qr="([^"]*)"[^>]*>/g)];
    expect(rects).toHaveLength(1);
    expect(rects[0]![1]).toBe('{{certificate.url}}');
    // At least 2 cm: A4 landscape is 1122.52 user units for 297 mm.
    const side = Math.min(
      ...['width', 'height'].map((a) => Number(new RegExp(`\\s${a}="([\\d.]+)"`).exec(rects[0]![0])![1])),
    );
    expect((side * 297) / 1122.52).toBeGreaterThanOrEqual(20);
    expect(svg).toContain('Verify at {{certificate.url}}');
  });

  it.each(CASES)('decodes from the PNG and the PDF: $what', async ({ id, url }) => {
    const data: CertificateData = certificateData(speaker(id), {
      certificate: { id: ID, url },
    });
    const result = await renderer.renderCertificate(compiled.get(template)!, data, { pngWidth: PNG_WIDTH });

    const fromPng = decode(bottomRight(readPng(result.png!)));
    expect(fromPng, 'decoded from the pipeline PNG').toBe(url);

    const fromPdf = decode(rasterizePdf(result.pdf, PDF_DPI, result.pageSize));
    expect(fromPdf, 'decoded from the PDF rasterized by pdftoppm').toBe(url);

    // Vector: the code is no image (these templates have no images at all), and the filled
    // SVG that the preview is drawn from holds it as one crisp-edged path.
    expect(await imageXObjects(result.pdf)).toBe(0);
    expect(result.svg).toBeDefined();
    expect(result.svg!.match(/shape-rendering="crispEdges"/g)).toHaveLength(1);
  });
});

it('the image check does see an image (a template with an embedded PNG)', async () => {
  const png =
    'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="297mm" height="210mm" viewBox="0 0 1122.52 793.7">
    <image width="64" height="64" href="data:image/png;base64,${png}"/><text x="10" y="100">{{name}}</text></svg>`;
  const result = await renderer.renderCertificate(new TextEncoder().encode(svg), { name: 'Ada' }, { png: false });
  expect(await imageXObjects(result.pdf)).toBeGreaterThan(0);
});

describe('QR errors through the pipeline', () => {
  it('a data-qr on anything but a <rect> is TEMPLATE_INVALID', () => {
    const svg = templateText('classic').replace(
      '<rect x="994" y="661" width="80" height="80"',
      '<circle cx="1034" cy="701" r="40"',
    );
    expect(svg).toContain('<circle cx="1034" cy="701" r="40" fill="#1C2B4A" data-qr=');
    expect(() => renderer.compileTemplate(new TextEncoder().encode(svg))).toThrow(
      expect.objectContaining({ code: 'TEMPLATE_INVALID' }),
    );
  });

  it('an unknown error correction level is TEMPLATE_INVALID', () => {
    const svg = templateText('modern').replace(
      'data-qr="{{certificate.url}}"',
      'data-qr="{{certificate.url}}" data-qr-ec="X"',
    );
    expect(() => renderer.compileTemplate(new TextEncoder().encode(svg))).toThrow(
      expect.objectContaining({ code: 'TEMPLATE_INVALID' }),
    );
  });

  it('a URL too long for a QR code is LIMIT_EXCEEDED with the capacity', async () => {
    const svg = templateText('modern').replace(
      'data-qr="{{certificate.url}}"',
      'data-qr="{{certificate.url}}" data-qr-ec="H"',
    );
    const url = `https://verify.example/${'x'.repeat(1300)}`;
    const error = await renderer
      .renderCertificate(
        new TextEncoder().encode(svg),
        certificateData(speaker('spk-001'), { certificate: { id: 'x', url } }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertforgeError);
    expect(error).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      details: { limit: 1273, actual: url.length },
    });
  });

  it('a missing URL leaves the QR code out (data-if), a QR code without a condition needs it', async () => {
    const data = certificateData(speaker('spk-001'));
    delete (data as { certificate?: unknown }).certificate;
    const result = await renderer.renderCertificate(compiled.get('classic')!, data, { png: false });
    expect(result.warnings).toEqual([]);
    const bare = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><rect x="10" y="10" width="100" height="100" data-qr="{{certificate.url}}"/></svg>`;
    const error = await renderer.renderCertificate(bare, data).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'MISSING_FIELD',
      details: { fields: ['certificate.url'] },
    });
  });
});
