/**
 * Hostile templates, data and options through the whole pipeline (renderCertificate → WASM core
 * → pdf-lib): each one is a CertforgeError with the documented code, comes back quickly, and
 * the renderer keeps working afterwards. Also: a real WebAssembly trap inside the core is
 * reported as INTERNAL { trap: true } and the core is restarted transparently.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CertforgeError,
  initPreview,
  initRenderer,
  rasterize,
  type CertificateData,
  type ErrorCode,
  type Renderer,
  type RenderOptions,
  type Template,
} from '../../functions/src/render/index.js';
import { certificateData, speaker, templateBytes } from '../helpers/fixtures.js';

const MAX_MS = 5_000;
const A4 = 'width="297mm" height="210mm" viewBox="0 0 1122.52 793.7"';
const NAME_TEXT =
  '<text x="561" y="300" text-anchor="middle" font-family="Noto Sans" font-size="48" data-fit-width="800">{{name}}</text>';

function svg(body: string, rootAttrs = A4): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ${rootAttrs}>${body}</svg>`;
}

/** The "billion laughs": 10 levels of entities that each expand the previous one ten times. */
function entityBomb(): string {
  let entities = `<!ENTITY a "${'lol'.repeat(10)}">`;
  for (let c = 'b'.charCodeAt(0); c <= 'j'.charCodeAt(0); c++) {
    entities += `<!ENTITY ${String.fromCharCode(c)} "${`&${String.fromCharCode(c - 1)};`.repeat(10)}">`;
  }
  return `<?xml version="1.0"?><!DOCTYPE svg [${entities}]>${svg('<text x="10" y="50">&j; {{name}}</text>')}`;
}

let renderer: Renderer;
let classic: Template;
const normalData = certificateData(speaker('spk-002'));

beforeAll(async () => {
  renderer = await initRenderer();
  classic = renderer.compileTemplate(templateBytes('classic'));
});

/** Runs `fn`, which must reject with a CertforgeError of `code` within MAX_MS. */
async function expectCode(fn: () => Promise<unknown>, code: ErrorCode): Promise<CertforgeError> {
  const started = performance.now();
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  const ms = performance.now() - started;
  expect(caught, `expected ${code}, but it rendered`).toBeDefined();
  expect(caught, String(caught)).toBeInstanceOf(CertforgeError);
  const error = caught as CertforgeError;
  expect(error.code, `${error.message} ${JSON.stringify(error.details)}`).toBe(code);
  expect(ms, `${code} took ${Math.round(ms)} ms`).toBeLessThan(MAX_MS);
  return error;
}

/** A normal certificate still renders (and its PDF is not empty). */
async function expectStillWorks(): Promise<void> {
  const result = await renderer.renderCertificate(classic, normalData, {
    png: false,
  });
  expect(Buffer.from(result.pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  expect(result.pdf.length).toBeGreaterThan(10_000);
}

describe('hostile templates', () => {
  // 0xC3 0x28: a UTF-8 lead byte followed by a non-continuation byte, inside a static text.
  const [head, tail] = svg(`${NAME_TEXT}<text x="10" y="50">caf@</text>`).split('@') as [string, string];
  const INVALID_UTF8 = new Uint8Array([
    ...new TextEncoder().encode(head),
    0xc3,
    0x28,
    ...new TextEncoder().encode(tail),
  ]);

  const cases: Array<{
    what: string;
    template: string | Uint8Array;
    code: ErrorCode;
  }> = [
    {
      what: 'http image',
      template: svg(`<image href="http://example.com/logo.png" width="10" height="10"/>${NAME_TEXT}`),
      code: 'EXTERNAL_REFERENCE',
    },
    {
      what: 'https xlink:href image',
      template: svg(`<image xlink:href="https://example.com/logo.png" width="10" height="10"/>${NAME_TEXT}`),
      code: 'EXTERNAL_REFERENCE',
    },
    {
      what: 'file image',
      template: svg(`<image href="file:///etc/passwd" width="10" height="10"/>${NAME_TEXT}`),
      code: 'EXTERNAL_REFERENCE',
    },
    {
      what: 'relative image',
      template: svg(`<image href="logo.png" width="10" height="10"/>${NAME_TEXT}`),
      code: 'EXTERNAL_REFERENCE',
    },
    {
      what: 'relative <use>',
      template: svg(`<use href="other.svg#a"/>${NAME_TEXT}`),
      code: 'EXTERNAL_REFERENCE',
    },
    {
      what: 'url() to a web resource',
      template: svg(`<rect width="10" height="10" style="fill: url(https://example.com/p.svg#g)"/>${NAME_TEXT}`),
      code: 'EXTERNAL_REFERENCE',
    },
    {
      what: 'external entity',
      template: `<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>${svg(`<text x="10" y="50">&x;</text>${NAME_TEXT}`)}`,
      code: 'EXTERNAL_REFERENCE',
    },
    { what: 'entity bomb', template: entityBomb(), code: 'LIMIT_EXCEEDED' },
    {
      what: '1e9 px page',
      template: svg(NAME_TEXT, 'width="1000000000" height="1000000000"'),
      code: 'LIMIT_EXCEEDED',
    },
    {
      what: '50,000 nested groups',
      template: svg(`${'<g>'.repeat(50_000)}${NAME_TEXT}${'</g>'.repeat(50_000)}`),
      code: 'LIMIT_EXCEEDED',
    },
    {
      what: 'invalid UTF-8 bytes',
      template: INVALID_UTF8,
      code: 'TEMPLATE_PARSE',
    },
  ];

  it.each(cases)('$what → $code', async ({ template, code }) => {
    await expectCode(() => renderer.renderCertificate(template, { name: 'Ada Lovelace' }, { png: false }), code);
    await expectStillWorks();
  });

  it('the invalid UTF-8 fixture really is invalid UTF-8 (and only because of the bad byte)', () => {
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(INVALID_UTF8)).toThrow();
    const fixed = INVALID_UTF8.map((b) => (b === 0xc3 ? 0x41 : b));
    expect(new TextDecoder('utf-8', { fatal: true }).decode(fixed)).toContain('</svg>');
  });

  it('external references name the reference', async () => {
    const error = await expectCode(
      () =>
        renderer.renderCertificate(
          svg(`<image href="http://example.com/logo.png" width="10" height="10"/>${NAME_TEXT}`),
          { name: 'A' },
        ),
      'EXTERNAL_REFERENCE',
    );
    expect(JSON.stringify(error.details) + error.message).toContain('http://example.com/logo.png');
  });
});

describe('hostile data and options', () => {
  it('a 10 MB name → LIMIT_EXCEEDED', async () => {
    await expectCode(
      () => renderer.renderCertificate(classic, { ...normalData, name: 'A'.repeat(10 * 1024 * 1024) }, { png: false }),
      'LIMIT_EXCEEDED',
    );
    await expectStillWorks();
  });

  it('a 2,001-character name (over the per-field limit, under the data limit) → LIMIT_EXCEEDED', async () => {
    await expectCode(
      () => renderer.renderCertificate(classic, { ...normalData, name: 'Ab '.repeat(667) }, { png: false }),
      'LIMIT_EXCEEDED',
    );
    await expectStillWorks();
  });

  it('characters no font has (Tifinagh ⵣ) → FONT_MISSING_GLYPHS naming them and the field', async () => {
    const error = await expectCode(
      () => renderer.renderCertificate(classic, { ...normalData, name: 'Amazigh ⵣⴰⵢⴻⵏ' }, { png: false }),
      'FONT_MISSING_GLYPHS',
    );
    expect(error.details.field).toBe('name');
    expect(String(error.details.characters)).toContain('ⵣ');
    expect(String(error.details.characters)).not.toMatch(/[A-Za-z]/);
    await expectStillWorks();
  });

  it('missing fields → MISSING_FIELD listing every one of them', async () => {
    // The fields classic.svg needs (README's minimal data): the rest are optional, drawn
    // under data-if or given defaults.
    const error = await expectCode(() => renderer.renderCertificate(classic, {}, { png: false }), 'MISSING_FIELD');
    expect(Array.isArray(error.details.fields), JSON.stringify(error.details)).toBe(true);
    expect([...(error.details.fields as string[])].sort()).toEqual(['event.date', 'event.name', 'name']);

    // Only the ones really missing are listed.
    const { name: _name, ...partial } = normalData;
    const partialError = await expectCode(
      () => renderer.renderCertificate(classic, partial, { png: false }),
      'MISSING_FIELD',
    );
    expect([...(partialError.details.fields as string[])].sort()).toEqual(['name']);
    await expectStillWorks();
  });

  it.each([
    ['an array', [normalData]],
    ['a string', 'Ada Lovelace'],
    ['null', null],
    ['a number', 42],
  ])('data that is %s → INVALID_DATA', async (_what, data) => {
    await expectCode(
      () => renderer.renderCertificate(classic, data as unknown as CertificateData, { png: false }),
      'INVALID_DATA',
    );
    await expectStillWorks();
  });

  it('an object where text is expected → INVALID_DATA', async () => {
    await expectCode(
      () =>
        renderer.renderCertificate(
          classic,
          { ...normalData, name: { first: 'Ada' } as unknown as string },
          { png: false },
        ),
      'INVALID_DATA',
    );
    await expectStillWorks();
  });

  it.each([99, 6001, 0, -1200, 1200.5, Number.NaN, '1200'])('pngWidth %s → INVALID_DATA', async (pngWidth) => {
    await expectCode(
      () =>
        renderer.renderCertificate(classic, normalData, {
          pngWidth,
        } as unknown as RenderOptions),
      'INVALID_DATA',
    );
    await expectStillWorks();
  });

  it('pngWidth 100 (the minimum) and 2400 work', async () => {
    for (const pngWidth of [100, 2400]) {
      const result = await renderer.renderCertificate(classic, normalData, {
        pngWidth,
      });
      expect(Buffer.from(result.png!).readUInt32BE(16), `PNG IHDR width for ${pngWidth}`).toBe(pngWidth);
    }
  });
});

/**
 * A real trap inside the real core: there is no export for forcing one, so the test swaps the
 * live instance's `cf_render` for a call to the core's own `cf_alloc(0xFFFFFFFF)`, which panics
 * (capacity overflow) and, with panic = "abort", executes `unreachable`: a genuine
 * WebAssembly.RuntimeError thrown by the module. This reaches into private fields
 * (Renderer.core, Core.instance, CoreInstance.exports); if they are renamed the test says so.
 */
describe('a WebAssembly trap in the core', () => {
  interface Internals {
    core?: {
      restartCount: number;
      instance?: { exports?: Record<string, unknown> };
    };
  }

  function armTrap(r: Renderer): () => number {
    const core = (r as unknown as Internals).core;
    const exports = core?.instance?.exports;
    if (!core || !exports || typeof exports.cf_alloc !== 'function' || typeof exports.cf_render !== 'function') {
      throw new Error('test hook broken: Renderer.core.instance.exports not found (core.ts internals renamed?)');
    }
    const cfAlloc = exports.cf_alloc as (len: number) => number;
    core.instance!.exports = {
      ...exports,
      cf_render: () => cfAlloc(0xffffffff),
    };
    return () => core.restartCount;
  }

  it('is INTERNAL { trap: true }; the core restarts with its fonts and templates and renders identical bytes', async () => {
    const before = await renderer.renderCertificate(classic, normalData, {
      png: false,
    });
    const restarts = armTrap(renderer);
    const restartsBefore = restarts();

    const error = await expectCode(() => renderer.renderCertificate(classic, normalData, { png: false }), 'INTERNAL');
    expect(error.details.trap).toBe(true);
    expect(String(error.details.reason)).toMatch(/RuntimeError/);
    expect(restarts()).toBe(restartsBefore + 1);

    // The same compiled template object still works, with every font (Arabic fallback included).
    const after = await renderer.renderCertificate(classic, normalData, {
      png: false,
    });
    expect(after.sha256).toBe(before.sha256);
    const arabic = await renderer.renderCertificate(classic, certificateData(speaker('spk-010')), { png: false });
    expect(arabic.pdf.length).toBeGreaterThan(10_000);
    expect(restarts()).toBe(restartsBefore + 1);
  });
});

describe('a panic inside resvg-wasm (the PNG preview)', () => {
  // resvg 0.35 (@resvg/resvg-wasm 2.6.2) panics on a filter region far wider than the canvas
  // under a group with opacity (srobo-2013-participation of ../shared/wild-templates has one).
  const filters =
    '<defs><filter id="a" x="200" y="150" width="60" height="60" filterUnits="userSpaceOnUse"><feGaussianBlur stdDeviation="5"/></filter>' +
    '<filter id="b" x="-400" y="200" width="1200" height="50" filterUnits="userSpaceOnUse"><feGaussianBlur stdDeviation="5"/></filter></defs>';
  const artwork =
    '<g opacity="0.4"><g transform="matrix(1.7 -0.44 0.44 1.7 -100 -50)">' +
    '<g filter="url(#a)"><rect x="210" y="160" width="40" height="40" fill="#2f8ed0"/></g>' +
    '<g filter="url(#b)"><rect x="0" y="210" width="300" height="30" fill="#2f8ed0"/></g></g></g>';

  it('is RENDER_FAILED { trap: true }, and the next preview renders with a fresh resvg-wasm', async () => {
    const panicking = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">${filters}${artwork}</svg>`;
    await initPreview();
    const error = (() => {
      try {
        rasterize(panicking, 400);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CertforgeError);
    expect((error as CertforgeError).code).toBe('RENDER_FAILED');
    expect((error as CertforgeError).details.trap).toBe(true);
    // Before: every later preview of the process failed with "recursive use of an object".
    const result = await renderer.renderCertificate(classic, normalData, { png: true });
    expect(result.png!.length).toBeGreaterThan(10_000);
  });

  it('a template with such a filter renders its preview: the core clips filter regions to the page', async () => {
    const template = svg(`${filters}${artwork}${NAME_TEXT}`, 'width="400" height="300"');
    const result = await renderer.renderCertificate(template, normalData, { png: true });
    expect(result.png!.length).toBeGreaterThan(1_000);
  });
});
