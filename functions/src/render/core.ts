/**
 * The narrow boundary to the Rust core (functions/wasm/certforge_core.wasm).
 * Bytes in, bytes out, over the C ABI described in docs/architecture.md; no wasm-bindgen.
 *
 * A trap (WebAssembly.RuntimeError, stack overflow, ...) leaves the instance in an
 * unknown state, so it is discarded: a fresh instance is created from the cached
 * module, every font added so far is added again and every template compiled so far
 * is compiled again (the stable template ids handed out by `Core` keep working), and
 * the failed call throws CertforgeError('INTERNAL', ..., { trap: true }), or
 * CertforgeError('LIMIT_EXCEEDED', ..., { trap: true }) when the trap followed a failed
 * allocation: the module's memory has a maximum (wasm/wasm/build.rs).
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { CertforgeError, isErrorCode } from './errors.js';
import { once } from '../shared/once.js';

const WASM_URL = new URL('../../wasm/certforge_core.wasm', import.meta.url);

export interface CoreFont {
  /** The font file's bytes; kept by the Core to replay after a trap. */
  bytes?: Uint8Array;
  /** Or a file to read: read when added and again after a trap, never kept in memory. */
  path?: string;
  name?: string;
  /**
   * `'fallback'`: for characters other fonts lack only, never by family name (a slice of a
   * large font, font-slices.ts); `'named'`: by family name only, never for fallback (the
   * whole of a sliced font, for a template that names it). Default: both.
   */
  use?: 'fallback' | 'named';
}

/** CoreFont.use as cf_add_font's argument. */
const FONT_USE = { fallback: 1, named: 2 } as const;

export interface FontFace {
  family: string;
  weight: number;
  style: string;
}

export interface PageSize {
  /** PDF points */
  width: number;
  height: number;
}

export interface CoreWarning {
  code: string;
  message: string;
}

export interface CompiledTemplateInfo {
  /** Stable id, valid across instance restarts until dropTemplate(). */
  id: number;
  pageSize: PageSize;
  fields: string[];
  warnings: CoreWarning[];
  /** Page-sized rasters the static layer's preview holds at once (layers, masks, filters). */
  rasterCost: number;
}

export interface FieldLayout {
  element: string;
  fontSize: number;
  lines: number;
  /** Widest line, in user units. */
  width: number;
  /** The fit box width (explicit, by default or flowed), or null when the text has none. */
  boxWidth: number | null;
  bidi: boolean;
  [key: string]: unknown;
}

export interface CoreRenderResult {
  pdf: Uint8Array;
  /** Text-as-paths SVG for the PNG preview. */
  svg: string;
  pageSize: PageSize;
  warnings: CoreWarning[];
  fields: FieldLayout[];
  /** Page-sized rasters the variable layer's preview holds at once. */
  rasterCost: number;
}

export interface CoreCreateOptions {
  /** Override the wasm module (tests). Defaults to functions/wasm/certforge_core.wasm. */
  wasm?: WebAssembly.Module | Uint8Array;
}

interface CoreExports {
  memory: WebAssembly.Memory;
  cf_alloc(len: number): number;
  cf_add_font(ptr: number, len: number, use: number): number;
  cf_compile(
    svgPtr: number,
    svgLen: number,
    optsPtr: number,
    optsLen: number,
    fontsPtr: number,
    fontsLen: number,
  ): number;
  cf_out_of_memory(): number;
  cf_render(templateId: number, dataPtr: number, dataLen: number, optsPtr: number, optsLen: number): number;
  cf_drop_template(templateId: number): number;
  cf_static_preview(templateId: number): number;
  cf_result_ptr(): number;
  cf_result_len(): number;
}

const REQUIRED_EXPORTS = [
  'cf_alloc',
  'cf_add_font',
  'cf_compile',
  'cf_render',
  'cf_drop_template',
  'cf_static_preview',
  'cf_result_ptr',
  'cf_result_len',
  'cf_out_of_memory',
] as const;

/**
 * When a call left the instance's memory above this, the instance is replaced by a fresh one
 * before the next call (wasm memory never shrinks): one unusual render does not keep an
 * instance at its peak. The module's hard maximum is set at build time (wasm/wasm/build.rs, 384 MiB).
 */
export const CORE_MEMORY_RESET_BYTES = 192 * 1024 * 1024;

const STATUS_OK = 0;
const STATUS_ERROR = 1;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/** Compiles the bundled wasm once per process (a failure is not cached, so a later call retries). */
/** The bundled core: its compiled module and the sha256 of its bytes (what a snapshot is valid for). */
const loadDefaultModule = once(async (): Promise<{ module: WebAssembly.Module; sha256: string }> => {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(WASM_URL);
  } catch (error) {
    throw new CertforgeError(
      'NOT_INITIALIZED',
      `The render core is missing (${fileURLToPath(WASM_URL)}); run \`npm run build:wasm\``,
      { path: fileURLToPath(WASM_URL) },
      { cause: error },
    );
  }
  return { module: await compileModule(bytes), sha256: createHash('sha256').update(bytes).digest('hex') };
});

/** The sha256 of the bundled core's bytes (loads it once, as Core.create does). */
export async function defaultCoreSha256(): Promise<string> {
  return (await loadDefaultModule()).sha256;
}

/**
 * How V8 optimises the core (set before the module is compiled; a flag V8 does not know is
 * ignored; V8's flags are the process's, so resvg-wasm's previews run with them too, in the same
 * time in the bench). V8 moves a hot wasm function from its baseline code (Liftoff) to optimised
 * code (TurboFan) once it has run a budget of code; Node 22's default (13 MB of bytes executed) sends
 * hundreds of the core's functions to TurboFan, whose compiles compete with the renders for the
 * instance's CPU and whose code and compile memory stay in the instance's peak. With a budget
 * of 200 MB only what stays hot is optimised, and TurboFan neither unrolls nor peels loops (the
 * core's loops are deflate, shaping and subsetting, compiled by rustc already). Measured on this
 * machine (2 cores), against a budget of 50 MB with V8's loop settings:
 * - 10,000 renders of render-memory.mjs (every tenth with a preview): peak RSS 143 MB instead of
 *   164, 179 s instead of 193;
 * - a batch of 120 through the CLI: 3.1–3.8 ms a certificate instead of 3.6–5.2;
 * - steady PDF renders of the bench templates: the same within noise (simple 1.8–1.9 ms).
 * The budget alone (loops as V8 sets them) held the peak to 141–146 MB over 3,000 renders but
 * not over 10,000 (159 MB), as more functions reached it.
 */
const CORE_V8_FLAGS = '--wasm-tiering-budget=200000000 --no-wasm-loop-unrolling --no-wasm-loop-peeling';

async function compileModule(bytes: Uint8Array): Promise<WebAssembly.Module> {
  setFlagsFromString(CORE_V8_FLAGS);
  try {
    // Never SharedArrayBuffer-backed here (readFile / caller bytes); the cast only satisfies TS 5.9's BufferSource.
    return await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  } catch (error) {
    throw new CertforgeError(
      'NOT_INITIALIZED',
      `The render core is not a valid WebAssembly module: ${String(error)}`,
      {},
      { cause: error },
    );
  }
}

function toJsonBytes(value: unknown, what: string): Uint8Array {
  let json: string | undefined;
  try {
    json = JSON.stringify(value ?? {});
  } catch (error) {
    throw new CertforgeError(
      'INVALID_DATA',
      `The ${what} cannot be serialized to JSON: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
  if (json === undefined) throw new CertforgeError('INVALID_DATA', `The ${what} cannot be serialized to JSON`);
  return encoder.encode(json);
}

function malformed(what: string, details: Record<string, unknown> = {}): CertforgeError {
  return new CertforgeError('INTERNAL', `The render core returned a malformed ${what}`, details);
}

function parseJson<T>(bytes: Uint8Array, what: string): T {
  try {
    return JSON.parse(decoder.decode(bytes)) as T;
  } catch (error) {
    throw malformed(what, { parseError: (error as Error).message });
  }
}

/** One live wasm instance. Private: all state that must survive a trap lives in `Core`. */
class CoreInstance {
  private readonly exports: CoreExports;

  constructor(module: WebAssembly.Module) {
    const instance = new WebAssembly.Instance(module, {});
    const exports = instance.exports as Record<string, unknown>;
    for (const name of REQUIRED_EXPORTS) {
      if (typeof exports[name] !== 'function') {
        throw new CertforgeError('NOT_INITIALIZED', `The render core does not export ${name}`);
      }
    }
    if (!(exports.memory instanceof WebAssembly.Memory)) {
      throw new CertforgeError('NOT_INITIALIZED', 'The render core does not export its memory');
    }
    this.exports = exports as unknown as CoreExports;
  }

  addFont(font: CoreFont): FontFace[] {
    const [ptr, length] = font.bytes ? [this.copyIn(font.bytes), font.bytes.length] : this.readIn(font);
    const use = font.use ? FONT_USE[font.use] : 0;
    return this.jsonResult<FontFace[]>(this.exports.cf_add_font(ptr, length, use), 'font result');
  }

  /**
   * Reads a font file straight into wasm memory: no JavaScript buffer holds the bytes on the
   * way (with a 40 MB CJK family, such buffers stayed in the process's malloc heap after they
   * were freed). Returns the pointer and length, owned by the callee as with copyIn().
   */
  private readIn(font: CoreFont): [number, number] {
    if (!font.path) throw new CertforgeError('FONT_INVALID', 'A font needs bytes or a path', { font: font.name });
    const path = font.path;
    const unreadable = (error: unknown) =>
      new CertforgeError(
        'FONT_INVALID',
        `Cannot read font file ${path}: ${(error as Error).message}`,
        { path },
        { cause: error },
      );
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      throw unreadable(error);
    }
    try {
      const size = fstatSync(fd).size;
      const ptr = this.exports.cf_alloc(size) >>> 0;
      if (ptr === 0 && size > 0) throw new CertforgeError('LIMIT_EXCEEDED', 'The render core is out of memory');
      const target = new Uint8Array(this.exports.memory.buffer, ptr, size);
      let read = 0;
      while (read < size) {
        const n = readSync(fd, target, read, size - read, read);
        if (n === 0) throw new Error(`the file ended after ${read} of ${size} bytes`);
        read += n;
      }
      return [ptr, size];
    } catch (error) {
      throw error instanceof CertforgeError ? error : unreadable(error);
    } finally {
      closeSync(fd);
    }
  }

  compile(svg: Uint8Array, opts: Uint8Array, fonts: Uint8Array): CompiledTemplateInfo {
    const svgPtr = this.copyIn(svg);
    const optsPtr = this.copyIn(opts);
    const fontsPtr = this.copyIn(fonts);
    return this.jsonResult(
      this.exports.cf_compile(svgPtr, svg.length, optsPtr, opts.length, fontsPtr, fonts.length),
      'compile result',
    );
  }

  /** Whether an allocation failed in this instance (its memory maximum was reached). */
  outOfMemory(): boolean {
    try {
      return this.exports.cf_out_of_memory() === 1;
    } catch {
      return false;
    }
  }

  /**
   * A copy of the instance's linear memory, its all-zero pages left out (taken between calls:
   * nothing of a call is on its stack).
   */
  memory(): SparseMemory {
    const all = new Uint8Array(this.exports.memory.buffer);
    const pages: number[] = [];
    for (let page = 0; page * WASM_PAGE < all.length; page++) {
      const bytes = all.subarray(page * WASM_PAGE, (page + 1) * WASM_PAGE);
      if (bytes.some((byte) => byte !== 0)) pages.push(page);
    }
    const data = new Uint8Array(pages.length * WASM_PAGE);
    pages.forEach((page, i) => data.set(all.subarray(page * WASM_PAGE, (page + 1) * WASM_PAGE), i * WASM_PAGE));
    return { bytes: all.length, pages, data };
  }

  /**
   * Makes this fresh instance's memory another instance's memory() (snapshot.ts). The module
   * keeps all its state in linear memory but its stack pointer, which is back at its start
   * between calls.
   */
  load(memory: SparseMemory): void {
    const own = this.exports.memory;
    const current = own.buffer.byteLength / WASM_PAGE;
    if (memory.bytes / WASM_PAGE > current) own.grow(memory.bytes / WASM_PAGE - current);
    const target = new Uint8Array(own.buffer);
    // The pages left out are zero; a fresh instance's first pages hold its data segments.
    target.fill(0, 0, current * WASM_PAGE);
    memory.pages.forEach((page, i) =>
      target.set(memory.data.subarray(i * WASM_PAGE, (i + 1) * WASM_PAGE), page * WASM_PAGE),
    );
  }

  /** Bytes of linear memory the instance holds now. */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  render(instanceTemplateId: number, data: Uint8Array, opts: Uint8Array): CoreRenderResult {
    const dataPtr = this.copyIn(data);
    const optsPtr = this.copyIn(opts);
    const status = this.exports.cf_render(instanceTemplateId, dataPtr, data.length, optsPtr, opts.length);
    // Read in place (parseRenderResult copies the PDF out once and calls nothing in the core).
    return parseRenderResult(this.result(status, 'view'));
  }

  dropTemplate(instanceTemplateId: number): void {
    this.result(this.exports.cf_drop_template(instanceTemplateId));
  }

  staticPreview(instanceTemplateId: number): string {
    return new TextDecoder().decode(this.result(this.exports.cf_static_preview(instanceTemplateId)));
  }

  /** Allocates in wasm memory and copies `bytes` there; the callee takes ownership. */
  private copyIn(bytes: Uint8Array): number {
    const ptr = this.exports.cf_alloc(bytes.length) >>> 0;
    if (ptr === 0 && bytes.length > 0) throw new CertforgeError('LIMIT_EXCEEDED', 'The render core is out of memory');
    // memory.buffer is re-read after every call: cf_alloc may have grown (and detached) it.
    new Uint8Array(this.exports.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  }

  /**
   * The result of the last call, copied out of wasm memory, or with `'view'` a view of it that
   * is valid until the next call into the core; status 1 becomes a CertforgeError.
   */
  private result(status: number, as: 'copy' | 'view' = 'copy'): Uint8Array {
    const ptr = this.exports.cf_result_ptr() >>> 0;
    const len = this.exports.cf_result_len() >>> 0;
    const buffer = this.exports.memory.buffer;
    if (ptr + len > buffer.byteLength) throw malformed('result pointer', { ptr, len });
    const view = new Uint8Array(buffer, ptr, len);
    const bytes = as === 'view' ? view : view.slice();
    if (status === STATUS_OK) return bytes;
    if (status === STATUS_ERROR) throw parseCoreError(bytes);
    throw malformed('status', { status });
  }

  private jsonResult<T>(status: number, what: string): T {
    return parseJson<T>(this.result(status), what);
  }
}

function parseCoreError(bytes: Uint8Array): CertforgeError {
  const body = parseJson<{ code?: unknown; message?: unknown; details?: unknown }>(bytes, 'error');
  const message = typeof body.message === 'string' ? body.message : 'The render core reported an error';
  const details =
    body.details && typeof body.details === 'object' && !Array.isArray(body.details)
      ? (body.details as Record<string, unknown>)
      : {};
  if (isErrorCode(body.code)) return new CertforgeError(body.code, message, details);
  return new CertforgeError('INTERNAL', message, { ...details, coreCode: body.code });
}

interface RenderHeader {
  pdfLength: number;
  svgLength: number;
  pageSize: PageSize;
  warnings?: CoreWarning[];
  fields?: FieldLayout[];
  rasterCost?: number;
}

/** `u32 LE headerLen`, header JSON, `pdfLength` bytes of PDF, `svgLength` bytes of SVG. */
function parseRenderResult(bytes: Uint8Array): CoreRenderResult {
  if (bytes.length < 4) throw malformed('render result', { length: bytes.length });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  const headerEnd = 4 + headerLength;
  if (headerEnd > bytes.length) throw malformed('render header', { headerLength, length: bytes.length });
  const header = parseJson<RenderHeader>(bytes.subarray(4, headerEnd), 'render header');
  const pdfEnd = headerEnd + header.pdfLength;
  const svgEnd = pdfEnd + header.svgLength;
  if (!Number.isInteger(header.pdfLength) || !Number.isInteger(header.svgLength) || svgEnd !== bytes.length) {
    throw malformed('render result', {
      headerLength,
      pdfLength: header.pdfLength,
      svgLength: header.svgLength,
      length: bytes.length,
    });
  }
  return {
    // `bytes` may be a view of wasm memory: the PDF is copied out.
    pdf: bytes.slice(headerEnd, pdfEnd),
    svg: decoder.decode(bytes.subarray(pdfEnd, svgEnd)),
    pageSize: header.pageSize,
    warnings: header.warnings ?? [],
    fields: header.fields ?? [],
    rasterCost: typeof header.rasterCost === 'number' ? header.rasterCost : 0,
  };
}

const WASM_PAGE = 65536;

/** Linear memory of `bytes`, of which the pages listed (64 KiB each, in order) are in `data`; the others are zero. */
export interface SparseMemory {
  bytes: number;
  pages: number[];
  data: Uint8Array;
}

/** A core's memory and the records that replay it (Core.state, Core.restore). */
export interface CoreState {
  memory: SparseMemory;
  fonts: Array<{ name: string; use?: CoreFont['use'] }>;
  templates: Array<{ id: number; instanceId: number; svg: Uint8Array; opts: Uint8Array }>;
  nextTemplateId: number;
}

interface TemplateRecord {
  svg: Uint8Array;
  opts: Uint8Array;
  /** The template's own fonts as `u32 LE length, bytes` records (empty: none). */
  fonts: Uint8Array;
  instanceId: number;
}

/** A template's fonts as the core reads them: `u32 LE length, bytes` per font. */
function fontRecords(fonts: ReadonlyArray<Uint8Array>): Uint8Array {
  const out = new Uint8Array(fonts.reduce((n, font) => n + 4 + font.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const font of fonts) {
    view.setUint32(at, font.length, true);
    out.set(font, at + 4);
    at += 4 + font.length;
  }
  return out;
}

export class Core {
  private instance: CoreInstance | undefined;
  private readonly fonts: CoreFont[] = [];
  private readonly templates = new Map<number, TemplateRecord>();
  private nextTemplateId = 1;
  private restarts = 0;

  private constructor(private readonly module: WebAssembly.Module) {
    this.instance = new CoreInstance(module);
  }

  /** Instantiates the core (the module is compiled once per process) and adds `fonts`. */
  static async create(
    fonts: ReadonlyArray<Uint8Array | CoreFont> = [],
    options: CoreCreateOptions = {},
  ): Promise<Core> {
    const module =
      options.wasm instanceof WebAssembly.Module
        ? options.wasm
        : options.wasm
          ? await compileModule(options.wasm)
          : (await loadDefaultModule()).module;
    const core = new Core(module);
    core.addFonts(fonts);
    return core;
  }

  /**
   * What this core holds, for a snapshot (snapshot.ts): its linear memory and what replays it
   * after a trap. Only a core of the bundled module whose fonts are files and whose templates
   * have no fonts of their own can be restored elsewhere.
   */
  state(): CoreState {
    const instance = this.live();
    if (this.fonts.some((font) => !font.path) || [...this.templates.values()].some((t) => t.fonts.length > 0)) {
      throw new CertforgeError('INTERNAL', 'Only fonts given by path and templates without fonts can be snapshotted');
    }
    return {
      memory: instance.memory(),
      fonts: this.fonts.map((font) => ({ name: font.name ?? '', use: font.use })),
      templates: [...this.templates].map(([id, t]) => ({ id, instanceId: t.instanceId, svg: t.svg, opts: t.opts })),
      nextTemplateId: this.nextTemplateId,
    };
  }

  /**
   * A core of the bundled module with `state`'s memory (snapshot.ts): its fonts and templates
   * are there without being added or compiled. `fonts` are the files `state.fonts` names, in
   * that order; `state.templates` carry their sources.
   */
  static async restore(state: CoreState, fonts: readonly CoreFont[]): Promise<Core> {
    const core = new Core((await loadDefaultModule()).module);
    core.instance!.load(state.memory);
    core.fonts.push(...fonts);
    for (const t of state.templates) {
      core.templates.set(t.id, { svg: t.svg, opts: t.opts, fonts: new Uint8Array(0), instanceId: t.instanceId });
    }
    core.nextTemplateId = state.nextTemplateId;
    return core;
  }

  /** How many times the instance was recreated after a trap. */
  get restartCount(): number {
    return this.restarts;
  }

  /**
   * Adds fonts to the font set. Byte arrays are kept (not copied) to replay them after a
   * trap; fonts given by path are read again instead, so the bundled ~60 MB stay on disk.
   */
  addFonts(fonts: ReadonlyArray<Uint8Array | CoreFont>): FontFace[] {
    const faces: FontFace[] = [];
    for (const [index, input] of fonts.entries()) {
      const font: CoreFont = input instanceof Uint8Array ? { bytes: input } : input;
      try {
        faces.push(...this.call((instance) => instance.addFont(font)));
      } catch (error) {
        if (error instanceof CertforgeError && error.code === 'FONT_INVALID') {
          Object.assign(error.details, { font: font.name ?? `#${index}` });
        }
        throw error;
      }
      this.fonts.push(font);
    }
    return faces;
  }

  /**
   * Compiles a template. `fonts` are the template's own: the core makes them visible to this
   * template only, never to another one (and bounds their number and bytes).
   */
  compile(svg: Uint8Array, opts: object = {}, fonts: ReadonlyArray<Uint8Array> = []): CompiledTemplateInfo {
    const optsBytes = toJsonBytes(opts, 'compile options');
    const svgCopy = svg.slice();
    const fontBytes = fontRecords(fonts);
    const info = this.call((instance) => instance.compile(svgCopy, optsBytes, fontBytes));
    const id = this.nextTemplateId++;
    this.templates.set(id, { svg: svgCopy, opts: optsBytes, fonts: fontBytes, instanceId: info.id });
    return { ...info, id };
  }

  render(templateId: number, data: unknown, opts: object = {}): CoreRenderResult {
    const record = this.template(templateId);
    const dataBytes = toJsonBytes(data, 'certificate data');
    const optsBytes = toJsonBytes(opts, 'render options');
    // Read instanceId inside the callback: it is only valid for the instance being called.
    return this.call((instance) => instance.render(record.instanceId, dataBytes, optsBytes));
  }

  /** The template's static artwork as a text-as-paths SVG (the background of every preview). */
  staticPreview(templateId: number): string {
    const record = this.template(templateId);
    return this.call((instance) => instance.staticPreview(record.instanceId));
  }

  /** Frees a compiled template; returns false when the id is unknown. */
  dropTemplate(templateId: number): boolean {
    const record = this.templates.get(templateId);
    if (!record) return false;
    this.templates.delete(templateId);
    this.call((instance) => instance.dropTemplate(record.instanceId));
    return true;
  }

  private template(templateId: number): TemplateRecord {
    const record = this.templates.get(templateId);
    if (!record) throw new CertforgeError('TEMPLATE_INVALID', `Unknown template id ${templateId}`, { templateId });
    return record;
  }

  /** Runs one call against the live instance; a trap discards the instance and restarts it. */
  private call<T>(fn: (instance: CoreInstance) => T): T {
    this.giveBackMemory();
    const instance = this.live();
    try {
      return fn(instance);
    } catch (error) {
      if (error instanceof CertforgeError && !instance.outOfMemory()) throw error;
      const outOfMemory = instance.outOfMemory();
      const memoryMiB = Math.round(instance.memoryBytes / 1048576);
      this.replace();
      if (outOfMemory) {
        throw new CertforgeError(
          'LIMIT_EXCEEDED',
          `This template needs more memory than the render core may use (${memoryMiB} MiB); simplify its images, filters or size`,
          { what: 'render core memory in MiB', limit: memoryMiB, trap: true },
          { cause: error },
        );
      }
      throw new CertforgeError(
        'INTERNAL',
        'The render core crashed on this input and was restarted',
        { trap: true, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) },
        { cause: error },
      );
    }
  }

  /** Discards the instance (after a trap, or when its memory grew past CORE_MEMORY_RESET_BYTES). */
  private replace(): void {
    this.instance = undefined;
    this.restarts++;
    try {
      this.restart();
    } catch {
      // Left undefined: the next call tries again via live().
    }
  }

  /** Memory of the instance right after its last reset: templates that need more keep it, without a reset loop. */
  private resetFloor = 0;

  /**
   * Gives back the memory of an unusual call: before the next call, a fresh instance once
   * memory grew past the reset size (and 64 MiB past what a fresh instance needed, so that
   * a large compiled template does not make every call restart).
   */
  private giveBackMemory(): void {
    const instance = this.instance;
    if (!instance) return;
    const threshold = Math.max(CORE_MEMORY_RESET_BYTES, this.resetFloor + 64 * 1024 * 1024);
    if (instance.memoryBytes <= threshold) return;
    this.replace();
    this.resetFloor = this.instance?.memoryBytes ?? 0;
  }

  private live(): CoreInstance {
    if (!this.instance) {
      try {
        this.restart();
      } catch (error) {
        if (error instanceof CertforgeError) throw error;
        throw new CertforgeError(
          'INTERNAL',
          'The render core could not be restarted',
          { trap: true },
          { cause: error },
        );
      }
    }
    return this.instance!;
  }

  /** Fresh instance with every font re-added and every template recompiled (new instance ids). */
  private restart(): void {
    const instance = new CoreInstance(this.module);
    for (const font of this.fonts) instance.addFont(font);
    for (const record of this.templates.values()) {
      record.instanceId = instance.compile(record.svg, record.opts, record.fonts).id;
    }
    this.instance = instance;
  }
}
