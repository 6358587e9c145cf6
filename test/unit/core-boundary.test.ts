/**
 * The TypeScript side of the WASM boundary (core.ts) against a hand-assembled fake core
 * (test/helpers/fake-core.ts): how status codes, error JSON, malformed results and traps are
 * mapped to CertforgeErrors. The real core is exercised in test/render/.
 */
import { describe, expect, it } from 'vitest';
import { CertforgeError, Core } from '../../functions/src/render/index.js';
import { fakeCoreWasm, renderResultBytes, type FakeCoreSpec } from '../helpers/fake-core.js';

const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
const PAGE = { width: 841.89, height: 595.28 };

async function coreWith(spec: FakeCoreSpec): Promise<{ core: Core; id: number }> {
  const core = await Core.create([], { wasm: fakeCoreWasm(spec) });
  const { id } = core.compile(SVG);
  return { core, id };
}

function caught(fn: () => unknown): CertforgeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CertforgeError);
    return error as CertforgeError;
  }
  throw new Error('expected a CertforgeError, nothing was thrown');
}

const coreError = (body: unknown): FakeCoreSpec => ({ render: { status: 1, result: JSON.stringify(body) } });

describe('compile', () => {
  it('returns the core info with a stable TypeScript-side id', async () => {
    const core = await Core.create([], { wasm: fakeCoreWasm() });
    const a = core.compile(SVG);
    const b = core.compile(SVG);
    expect(a).toMatchObject({ pageSize: PAGE, fields: ['name'], warnings: [] });
    // The fake core always answers id 7; Core hands out its own ids.
    expect(b.id).not.toBe(a.id);
  });

  it('maps a core error to its code', async () => {
    const core = await Core.create([], {
      wasm: fakeCoreWasm({
        compile: {
          status: 1,
          result: JSON.stringify({ code: 'TEMPLATE_PARSE', message: 'line 3', details: { line: 3 } }),
        },
      }),
    });
    const error = caught(() => core.compile(SVG));
    expect(error.toJSON()).toEqual({
      name: 'CertforgeError',
      code: 'TEMPLATE_PARSE',
      message: 'line 3',
      details: { line: 3 },
    });
  });
});

describe('render results', () => {
  it('splits a well-formed result into pdf, svg, page size, warnings and fields', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.7 fake');
    const header = {
      pdfLength: pdf.length,
      svgLength: new TextEncoder().encode('<svg>é</svg>').length,
      pageSize: PAGE,
      warnings: [{ code: 'FIT_BELOW_MIN_SIZE', message: 'small' }],
      fields: [{ element: 'name', fontSize: 20, lines: 2, width: 100, boxWidth: 120, bidi: false }],
    };
    const { core, id } = await coreWith({
      render: { status: 0, result: renderResultBytes(header, pdf, '<svg>é</svg>') },
    });
    const out = core.render(id, { name: 'x' });
    expect(Buffer.from(out.pdf).toString('latin1')).toBe('%PDF-1.7 fake');
    expect(out.svg).toBe('<svg>é</svg>');
    expect(out.pageSize).toEqual(PAGE);
    expect(out.warnings).toEqual(header.warnings);
    expect(out.fields).toEqual(header.fields);
  });

  it('defaults missing warnings and fields to empty lists', async () => {
    const { core, id } = await coreWith({
      render: {
        status: 0,
        result: renderResultBytes({ pdfLength: 1, svgLength: 0, pageSize: PAGE }, new Uint8Array([37]), ''),
      },
    });
    expect(core.render(id, {})).toMatchObject({ warnings: [], fields: [] });
  });

  it.each([
    ['shorter than the length prefix', new Uint8Array([1, 0])],
    ['a header length past the end', renderResultBytes({}, new Uint8Array(), '').map((b, i) => (i === 0 ? 200 : b))],
    [
      'a header that is not JSON',
      (() => {
        const r = renderResultBytes({ a: 1 }, new Uint8Array(), '');
        r[4] = 0x7b;
        r[5] = 0x7b;
        return r;
      })(),
    ],
    [
      'lengths that do not add up',
      renderResultBytes({ pdfLength: 10, svgLength: 0, pageSize: PAGE }, new Uint8Array(3), ''),
    ],
    ['non-integer lengths', renderResultBytes({ pdfLength: 1.5, svgLength: 0, pageSize: PAGE }, new Uint8Array(2), '')],
  ])('a result with %s is INTERNAL', async (_what, result) => {
    const { core, id } = await coreWith({ render: { status: 0, result } });
    const error = caught(() => core.render(id, {}));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toMatch(/malformed/);
    expect(error.details.trap).toBeUndefined();
  });

  it('a result pointer past the end of memory is INTERNAL', async () => {
    const { core, id } = await coreWith({ render: { status: 0, result: 'x', resultLength: 0x7fffffff } });
    const error = caught(() => core.render(id, {}));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toMatch(/malformed result pointer/);
  });
});

describe('static preview', () => {
  it("returns the core's SVG text", async () => {
    const { core, id } = await coreWith({ staticPreview: { status: 0, result: '<svg>ü</svg>' } });
    expect(core.staticPreview(id)).toBe('<svg>ü</svg>');
    expect(caught(() => core.staticPreview(id + 100)).code).toBe('TEMPLATE_INVALID');
  });

  it('maps a core error', async () => {
    const { core, id } = await coreWith({
      staticPreview: { status: 1, result: JSON.stringify({ code: 'RENDER_FAILED', message: 'no' }) },
    });
    expect(caught(() => core.staticPreview(id)).code).toBe('RENDER_FAILED');
  });
});

describe('error mapping', () => {
  it('a known code keeps its code, message and details', async () => {
    const { core, id } = await coreWith(
      coreError({
        code: 'MISSING_FIELD',
        message: 'Missing: name, talk.title',
        details: { fields: ['name', 'talk.title'] },
      }),
    );
    const error = caught(() => core.render(id, {}));
    expect(error.code).toBe('MISSING_FIELD');
    expect(error.message).toBe('Missing: name, talk.title');
    expect(error.details).toEqual({ fields: ['name', 'talk.title'] });
  });

  it('an unknown code becomes INTERNAL and keeps the core code', async () => {
    const { core, id } = await coreWith(coreError({ code: 'SOMETHING_NEW', message: 'new', details: { a: 1 } }));
    const error = caught(() => core.render(id, {}));
    expect(error.code).toBe('INTERNAL');
    expect(error.details).toEqual({ a: 1, coreCode: 'SOMETHING_NEW' });
  });

  it('a missing message and non-object details get defaults', async () => {
    const { core, id } = await coreWith(coreError({ code: 'INVALID_DATA', details: ['not', 'an', 'object'] }));
    const error = caught(() => core.render(id, {}));
    expect(error.code).toBe('INVALID_DATA');
    expect(error.message).toBe('The render core reported an error');
    expect(error.details).toEqual({});
  });

  it('error JSON that does not parse is INTERNAL', async () => {
    const { core, id } = await coreWith({ render: { status: 1, result: '{"code": "MISSING_FIELD"' } });
    const error = caught(() => core.render(id, {}));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toMatch(/malformed error/);
  });

  it('a status other than 0 and 1 is INTERNAL', async () => {
    const { core, id } = await coreWith({ render: { status: 2, result: '{}' } });
    const error = caught(() => core.render(id, {}));
    expect(error.code).toBe('INTERNAL');
    expect(error.details).toEqual({ status: 2 });
  });
});

describe('host-side errors', () => {
  it('an unknown template id is TEMPLATE_INVALID', async () => {
    const { core, id } = await coreWith({});
    expect(caught(() => core.render(id + 100, {})).code).toBe('TEMPLATE_INVALID');
    expect(core.dropTemplate(id)).toBe(true);
    expect(core.dropTemplate(id)).toBe(false);
    expect(caught(() => core.render(id, {})).code).toBe('TEMPLATE_INVALID');
  });

  it('data that cannot be serialized to JSON is INVALID_DATA', async () => {
    const { core, id } = await coreWith({});
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(caught(() => core.render(id, circular)).code).toBe('INVALID_DATA');
    expect(caught(() => core.render(id, { n: 10n })).code).toBe('INVALID_DATA');
  });

  it('bytes that are not WebAssembly are NOT_INITIALIZED', async () => {
    await expect(Core.create([], { wasm: new Uint8Array([1, 2, 3, 4]) })).rejects.toMatchObject({
      code: 'NOT_INITIALIZED',
    });
  });

  it('a module without the C ABI exports is NOT_INITIALIZED', async () => {
    const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    await expect(Core.create([], { wasm: empty })).rejects.toMatchObject({
      code: 'NOT_INITIALIZED',
      message: expect.stringMatching(/cf_alloc/),
    });
  });
});

describe('traps', () => {
  it('a trap is INTERNAL { trap: true }; the instance is recreated and templates recompiled', async () => {
    const { core, id } = await coreWith({ render: { status: 'trap' } });
    expect(core.restartCount).toBe(0);
    const error = caught(() => core.render(id, {}));
    expect(error.code).toBe('INTERNAL');
    expect(error.details).toMatchObject({ trap: true, reason: expect.stringMatching(/RuntimeError: unreachable/) });
    expect(error.cause).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(core.restartCount).toBe(1);
    // The template id is still valid after the restart (the call reaches the core, which traps again).
    expect(caught(() => core.render(id, {})).details.trap).toBe(true);
    expect(core.restartCount).toBe(2);
  });

  it('a trap after a failed allocation (memory maximum reached) is LIMIT_EXCEEDED, and the core restarts', async () => {
    const { core, id } = await coreWith({ render: { status: 'trap' }, outOfMemory: true });
    const error = caught(() => core.render(id, {}));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.details).toMatchObject({ trap: true, what: 'render core memory in MiB' });
    expect(core.restartCount).toBe(1);
  });

  it('a trap while compiling does not register the template', async () => {
    const core = await Core.create([], { wasm: fakeCoreWasm({ compile: { status: 'trap' } }) });
    expect(caught(() => core.compile(SVG)).details.trap).toBe(true);
    // The restart had no templates to recompile, so it succeeded; nothing dangling.
    expect(core.restartCount).toBe(1);
    expect(core.dropTemplate(1)).toBe(false);
  });
});
