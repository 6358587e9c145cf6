/**
 * A tiny hand-assembled WebAssembly module with the certforge C ABI (docs/architecture.md) and
 * canned answers, for unit tests of the TypeScript side of the boundary (core.ts): error
 * mapping, malformed results, traps and restarts, without the real Rust core.
 *
 * Exports: memory, cf_alloc (always returns 64 KiB: inputs are ignored), cf_add_font (ok, `[]`),
 * cf_compile / cf_render / cf_static_preview (the given status and result, or a trap),
 * cf_drop_template (ok), cf_result_ptr / cf_result_len (of the last call), cf_out_of_memory.
 */

export interface FakeCall {
  /** Status returned (0 ok, 1 error, anything else is malformed); or 'trap' to execute `unreachable`. */
  status: number | 'trap';
  /** The result bytes (a string is UTF-8 encoded). */
  result?: string | Uint8Array;
  /** Report this result length instead of the real one (to fake an out-of-bounds result). */
  resultLength?: number;
}

export interface FakeCoreSpec {
  compile?: FakeCall;
  render?: FakeCall;
  /** What cf_out_of_memory reports (an allocation failed before the trap); default false. */
  outOfMemory?: boolean;
  /** cf_static_preview(template_id); default: ok with a tiny SVG. */
  staticPreview?: FakeCall;
}

const DEFAULT_COMPILE: FakeCall = {
  status: 0,
  result: JSON.stringify({ id: 7, pageSize: { width: 841.89, height: 595.28 }, fields: ['name'], warnings: [] }),
};

const utf8 = (value: string | Uint8Array | undefined): Uint8Array =>
  value === undefined ? new Uint8Array() : typeof value === 'string' ? new TextEncoder().encode(value) : value;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => [...uleb(s.length), ...new TextEncoder().encode(s)];

const I32 = 0x7f;
const OP = { unreachable: 0x00, end: 0x0b, globalGet: 0x23, globalSet: 0x24, i32Const: 0x41 } as const;
const i32 = (n: number): number[] => [OP.i32Const, ...sleb(n | 0)];

/** Sets the result globals (ptr, len) and returns `status`. */
function answer(ptr: number, len: number, status: number): number[] {
  return [...i32(ptr), OP.globalSet, 0, ...i32(len), OP.globalSet, 1, ...i32(status)];
}

/** Builds the module's bytes. */
export function fakeCoreWasm(spec: FakeCoreSpec = {}): Uint8Array {
  const compile = spec.compile ?? DEFAULT_COMPILE;
  const render = spec.render ?? { status: 0, result: new Uint8Array() };
  const staticPreview = spec.staticPreview ?? { status: 0, result: '<svg xmlns="http://www.w3.org/2000/svg"/>' };
  const fontResult = utf8('[]');
  const compileResult = utf8(compile.result);
  const renderResult = utf8(render.result);
  const staticResult = utf8(staticPreview.result);

  // Memory layout: results from offset 16, inputs at 64 KiB (cf_alloc), 4 pages in all.
  const FONT_AT = 16;
  const COMPILE_AT = FONT_AT + fontResult.length;
  const RENDER_AT = COMPILE_AT + compileResult.length;
  const STATIC_AT = RENDER_AT + renderResult.length;
  const INPUT_AT = 65536;
  if (STATIC_AT + staticResult.length > INPUT_AT) throw new Error('fake core: canned results must fit in 64 KiB');
  const pages = 4;

  const call = (c: FakeCall, at: number, bytes: Uint8Array): number[] =>
    c.status === 'trap' ? [OP.unreachable] : answer(at, c.resultLength ?? bytes.length, c.status);

  // Types: 0 (i32)->i32, 1 (i32,i32)->i32, 2 (i32 x4)->i32, 3 (i32 x5)->i32, 4 ()->i32, 5 (i32 x6)->i32.
  const types = [
    [0x60, 1, I32, 1, I32],
    [0x60, 2, I32, I32, 1, I32],
    [0x60, 4, I32, I32, I32, I32, 1, I32],
    [0x60, 5, I32, I32, I32, I32, I32, 1, I32],
    [0x60, 0, 1, I32],
    [0x60, 6, I32, I32, I32, I32, I32, I32, 1, I32],
  ];
  const funcs: Array<{ export: string; type: number; code: number[] }> = [
    { export: 'cf_alloc', type: 0, code: i32(INPUT_AT) },
    { export: 'cf_add_font', type: 1, code: answer(FONT_AT, fontResult.length, 0) },
    { export: 'cf_compile', type: 5, code: call(compile, COMPILE_AT, compileResult) },
    { export: 'cf_render', type: 3, code: call(render, RENDER_AT, renderResult) },
    { export: 'cf_drop_template', type: 0, code: answer(0, 0, 0) },
    { export: 'cf_static_preview', type: 0, code: call(staticPreview, STATIC_AT, staticResult) },
    { export: 'cf_result_ptr', type: 4, code: [OP.globalGet, 0] },
    { export: 'cf_result_len', type: 4, code: [OP.globalGet, 1] },
    { export: 'cf_out_of_memory', type: 4, code: i32(spec.outOfMemory ? 1 : 0) },
  ];
  const mutableI32Global = [I32, 0x01, ...i32(0), OP.end];
  const data = (at: number, bytes: Uint8Array): number[] => [0x00, ...i32(at), OP.end, ...uleb(bytes.length), ...bytes];

  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...section(3, vec(funcs.map((f) => uleb(f.type)))),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(6, vec([mutableI32Global, mutableI32Global])),
    ...section(7, vec([[...name('memory'), 0x02, 0], ...funcs.map((f, i) => [...name(f.export), 0x00, ...uleb(i)])])),
    ...section(
      10,
      vec(
        funcs.map((f) => {
          const body = [0x00, ...f.code, OP.end];
          return [...uleb(body.length), ...body];
        }),
      ),
    ),
    ...section(
      11,
      vec([
        data(FONT_AT, fontResult),
        data(COMPILE_AT, compileResult),
        data(RENDER_AT, renderResult),
        data(STATIC_AT, staticResult),
      ]),
    ),
  ]);
}

/** A render result in the wire format: u32 LE header length, header JSON, PDF, SVG. */
export function renderResultBytes(header: Record<string, unknown>, pdf: Uint8Array, svg: string): Uint8Array {
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const svgBytes = new TextEncoder().encode(svg);
  const out = new Uint8Array(4 + headerBytes.length + pdf.length + svgBytes.length);
  new DataView(out.buffer).setUint32(0, headerBytes.length, true);
  out.set(headerBytes, 4);
  out.set(pdf, 4 + headerBytes.length);
  out.set(svgBytes, 4 + headerBytes.length + pdf.length);
  return out;
}
