/**
 * renderCertificate(template, data, options) → { pdf, png, svg, sha256, pageSize, warnings, timings }.
 *
 * One renderer per process (initRenderer() caches a promise): the wasm core with the
 * bundled fonts loaded (the CJK ones on first need), templates compiled once per sha256
 * of their bytes, PNG backgrounds rasterised once per template and width (kept as the PNG's
 * compressed strips, not as pixels).
 *
 * Determinism: the same template, data and options give byte-identical PDFs. The PDF
 * creation/modification date is taken from the data (issuedAt, else event.date); when
 * neither parses as a date it is the fixed 2000-01-01T00:00:00Z, never the clock.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  Core,
  type CoreCreateOptions,
  type CoreFont,
  type CoreState,
  type CoreWarning,
  type FieldLayout,
  type FontFace,
  type PageSize,
} from './core.js';
import { CertforgeError, isCertforgeError } from './errors.js';
import { ByteLru } from './byte-lru.js';
import { coreAttachment, dataAttachment, embeddedData, type PdfAttachment } from './attach-data.js';
import { sha256Hex } from '../shared/hash.js';
import { bundledFontFiles, fallbackGroups, lazyFamilies, lazyGroupsFor } from './fonts.js';
import {
  DEFAULT_PNG_WIDTH,
  backgroundLayer,
  composePng,
  initPreview,
  rasterize,
  releaseRaster,
  type Background,
} from './preview.js';
import { fontsForTemplate } from './font-names.js';
import { once } from '../shared/once.js';
import { text } from '../shared/values.js';

export interface CertificateData {
  /** Speaker / participant name. */
  name?: string;
  event?: { name?: string; date?: string; organizer?: string; [key: string]: unknown };
  talk?: { title?: string; [key: string]: unknown };
  certificate?: { id?: string; url?: string; title?: string; [key: string]: unknown };
  /** BCP 47 language of the certificate; the PDF's /Lang unless options.language is given. */
  locale?: string;
  /** Issue date (ISO 8601 preferred); the PDF creation date. */
  issuedAt?: string;
  [key: string]: unknown;
}

export interface RenderOptions {
  /** Render the PNG preview. Default true. */
  png?: boolean;
  /** Return the whole certificate as a text-as-paths SVG (`RenderResult.svg`). Default: as `png`. */
  svg?: boolean;
  /** PNG width in pixels, 100..6000. Default 1200. */
  pngWidth?: number;
  /** Embed the data as certificate.json (a PDF/A-3 associated file, /Data). Default true. */
  attachData?: boolean;
  /** More associated files (the issuing path adds the signed credential). Default none. */
  attachments?: PdfAttachment[];
  /** PDF /Lang. Default data.locale, else 'en'. */
  language?: string;
}

export interface RenderTimings {
  coreMs: number;
  finishMs: number;
  pngMs: number;
}

export interface RenderResult {
  pdf: Uint8Array;
  png?: Uint8Array;
  /** The whole certificate as SVG with text as paths (needs no fonts to display); with options.svg. */
  svg?: string;
  /** Hex sha256 of `pdf`. */
  sha256: string;
  /** PDF points. */
  pageSize: PageSize;
  warnings: CoreWarning[];
  /** What the core did with each fitted or right-to-left text (font size, lines, width, box). */
  fields: FieldLayout[];
  timings: RenderTimings;
}

export interface Template {
  /** Hex sha256 of the template bytes and of its own fonts: what identifies it in every cache. */
  readonly sha256: string;
  readonly pageSize: PageSize;
  /** Placeholder names the template uses, e.g. `event.name`. */
  readonly fields: readonly string[];
  readonly warnings: readonly CoreWarning[];
  /** What it was compiled from: compiled again when the renderer's cache evicted it. */
  readonly source: TemplateSource;
}

export interface TemplateSource {
  readonly svg: Uint8Array;
  /** The template's own fonts (TTF/OTF/TTC), visible to this template only. */
  readonly fonts: readonly Uint8Array[];
}

export interface RendererOptions {
  /**
   * Fonts every template of this renderer may use, after the bundled ones (the CLI's
   * `--fonts`). A Storage template's fonts are not these: they are compiled with it.
   */
  extraFonts?: ReadonlyArray<Uint8Array | CoreFont>;
  /** Override the core's wasm module (tests). */
  wasm?: CoreCreateOptions['wasm'];
}

export const PNG_WIDTH_MIN = 100;
export const PNG_WIDTH_MAX = 6000;
/** Most pixels of one PNG preview; a wider request is scaled down to fit (warning PREVIEW_DOWNSCALED). */
export const PNG_MAX_PIXELS = 16_000_000;
/**
 * Bytes resvg-wasm may hold for one preview: the canvas plus the page-sized layers, masks and
 * filter results the core counted (`rasterCost`). The width is lowered until it fits.
 */
export const PNG_RASTER_BUDGET_BYTES = 160 * 1024 * 1024;

/** Cache budgets of a Renderer (docs/security.md). */
export const CACHE_BUDGETS = {
  /** Compiled templates in the core, counted by their source bytes (SVG + own fonts). */
  templates: { maxBytes: 64 * 1024 * 1024, maxEntries: 32 },
  /** Rasterised static artwork (RGBA, plus its compressed strips) per template and width. */
  backgrounds: { maxBytes: 64 * 1024 * 1024, maxEntries: 16 },
  /** The static artwork as text-as-paths SVG (UTF-16 in memory, so 2 bytes per character). */
  staticPreviews: { maxBytes: 16 * 1024 * 1024, maxEntries: 32 },
} as const;
/** PDF date used when the data has no parseable issuedAt / event.date. */
export const FALLBACK_CREATION_DATE = new Date(Date.UTC(2000, 0, 1));

const CREATOR = 'certforge';
const PRODUCER = 'certforge (usvg + krilla)';
const encoder = new TextEncoder();

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function record(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

const ISO_DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2}|\b(?:GMT|UTC)\b)\s*$/i;

/**
 * A date that does not depend on the machine's time zone: 'YYYY-MM-DD' is UTC midnight,
 * a string with a zone (Z, +02:00, GMT) is that instant, any other Date.parse-able string
 * is read as UTC wall-clock time. Undefined when it does not parse.
 */
export function parseDeterministicDate(value: string): Date | undefined {
  const s = value.trim();
  const iso = ISO_DATE_ONLY.exec(s);
  if (iso) {
    const date = new Date(Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3])));
    // Rejects 2025-02-30 and friends instead of rolling over.
    return date.getUTCDate() === Number(iso[3]) && date.getUTCMonth() === Number(iso[2]) - 1 ? date : undefined;
  }
  if (HAS_ZONE.test(s)) {
    const ms = Date.parse(s);
    return Number.isNaN(ms) ? undefined : new Date(ms);
  }
  // No zone: read the wall time as UTC directly. (Converting through local time
  // would shift times that do not exist locally, e.g. in a daylight-saving jump.)
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}T/.test(s) ? `${s}Z` : `${s} UTC`);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function creationDateOf(data: CertificateData): Date {
  for (const candidate of [data.issuedAt, record(data.event).date]) {
    const s = text(candidate);
    const date = s === undefined ? undefined : parseDeterministicDate(s);
    if (date) return date;
  }
  return FALLBACK_CREATION_DATE;
}

/** The document information of a certificate's PDF, written by the core. */
export interface PdfMeta {
  title: string;
  author: string;
  subject: string;
  keywords: string[];
  creator: string;
  producer: string;
  /** BCP 47 tag, written to the catalog's /Lang. */
  language: string;
  /** Used as both creation and modification date. */
  creationDate: Date;
}

/** The document information of a certificate's PDF. */
export function pdfMetaFor(data: CertificateData, options: RenderOptions = {}): PdfMeta {
  const event = record(data.event);
  const eventName = text(event.name);
  const eventDate = text(event.date);
  const name = text(data.name);
  const talkTitle = text(record(data.talk).title);
  const title =
    text(record(data.certificate).title) ??
    (name ? `Certificate of Participation: ${name}` : 'Certificate of Participation');
  return {
    title,
    author: text(event.organizer) ?? eventName ?? CREATOR,
    subject: [eventName, eventDate].filter(Boolean).join(', '),
    keywords: ['certificate', eventName, talkTitle].filter((k): k is string => k !== undefined),
    creator: CREATOR,
    producer: PRODUCER,
    language: text(options.language) ?? text(data.locale) ?? 'en',
    creationDate: creationDateOf(data),
  };
}

function checkOptions(options: RenderOptions): {
  png: boolean;
  svg: boolean;
  pngWidth: number;
  attachData: boolean;
  attachments: PdfAttachment[];
} {
  if (!isPlainObject(options as unknown)) throw new CertforgeError('INVALID_DATA', 'Render options must be an object');
  const pngWidth = options.pngWidth ?? DEFAULT_PNG_WIDTH;
  if (
    typeof pngWidth !== 'number' ||
    !Number.isInteger(pngWidth) ||
    pngWidth < PNG_WIDTH_MIN ||
    pngWidth > PNG_WIDTH_MAX
  ) {
    throw new CertforgeError(
      'INVALID_DATA',
      `pngWidth must be an integer from ${PNG_WIDTH_MIN} to ${PNG_WIDTH_MAX}, got ${String(options.pngWidth)}`,
      { pngWidth: options.pngWidth },
    );
  }
  const png = options.png ?? true;
  const attachments = options.attachments ?? [];
  if (!Array.isArray(attachments)) throw new CertforgeError('INVALID_DATA', 'attachments must be an array');
  return { png, svg: options.svg ?? png, pngWidth, attachData: options.attachData ?? true, attachments };
}

function elapsed(start: number): number {
  return Math.round((performance.now() - start) * 100) / 100;
}

/** A renderer's state for a snapshot (Renderer.state, Renderer.restore). */
export interface RendererState {
  core: CoreState;
  faces: FontFace[];
  templates: Array<{
    sha256: string;
    pageSize: PageSize;
    fields: string[];
    warnings: CoreWarning[];
    coreId: number;
    rasterCost: number;
  }>;
}

interface Compiled {
  coreId: number;
  /** Raster cost of the static layer's preview. */
  rasterCost: number;
}

export class Renderer {
  /** Compiled templates by Template.sha256; evicting one frees it in the core. */
  private readonly compiled = new ByteLru<string, Compiled>(
    CACHE_BUDGETS.templates.maxBytes,
    CACHE_BUDGETS.templates.maxEntries,
    (key, entry) => {
      this.core.dropTemplate(entry.coreId);
      this.handles.delete(key);
      this.backgrounds.deleteWhere((k) => k.startsWith(`${key}@`));
      this.staticPreviews.delete(key);
    },
  );
  /** Template handles by sha256, while they are compiled (compileTemplate returns the same handle). */
  private readonly handles = new Map<string, Template>();
  /** Rasterised static artwork per template and width: `${sha256}@${width}`. */
  private readonly backgrounds = new ByteLru<string, Background>(
    CACHE_BUDGETS.backgrounds.maxBytes,
    CACHE_BUDGETS.backgrounds.maxEntries,
  );
  /** The static artwork as a text-as-paths SVG, per template sha256 (fetched from the core once). */
  private readonly staticPreviews = new ByteLru<string, string>(
    CACHE_BUDGETS.staticPreviews.maxBytes,
    CACHE_BUDGETS.staticPreviews.maxEntries,
  );

  /** Lazy font groups (LAZY_GROUPS) loaded so far. */
  private readonly lazyGroupsLoaded = new Set<string>();

  private constructor(
    private readonly core: Core,
    private readonly faces: FontFace[],
  ) {}

  /** A new, uncached renderer (tests, tools); most callers want initRenderer(). */
  static async create(options: RendererOptions = {}): Promise<Renderer> {
    const core = await Core.create([], { wasm: options.wasm });
    const faces = [...core.addFonts(bundledFontFiles('eager')), ...core.addFonts(options.extraFonts ?? [])];
    return new Renderer(core, faces);
  }

  /**
   * What restoring this renderer elsewhere needs (snapshot.ts): its core's state, the faces of
   * its fonts and its compiled templates. Only a renderer that loaded no font on first need.
   */
  state(): RendererState {
    if (this.lazyGroupsLoaded.size > 0)
      throw new CertforgeError('INTERNAL', 'A renderer with lazy fonts loaded cannot be snapshotted');
    return {
      core: this.core.state(),
      faces: [...this.faces],
      templates: [...this.handles.values()].map((handle) => {
        const entry = this.compiled.get(handle.sha256)!;
        return {
          sha256: handle.sha256,
          pageSize: handle.pageSize,
          fields: [...handle.fields],
          warnings: [...handle.warnings],
          coreId: entry.coreId,
          rasterCost: entry.rasterCost,
        };
      }),
    };
  }

  /**
   * A renderer from another one's state(): its core's memory restored, its templates compiled
   * already. `sources` are the templates' bytes by sha256 (they must hash to it).
   */
  static async restore(
    state: RendererState,
    fonts: readonly CoreFont[],
    sources: ReadonlyMap<string, Uint8Array>,
  ): Promise<Renderer> {
    const renderer = new Renderer(await Core.restore(state.core, fonts), [...state.faces]);
    for (const t of state.templates) {
      const svg = sources.get(t.sha256);
      if (!svg) throw new CertforgeError('INTERNAL', `The snapshot's template ${t.sha256} has no source`);
      renderer.compiled.set(t.sha256, { coreId: t.coreId, rasterCost: t.rasterCost }, svg.length);
      renderer.handles.set(
        t.sha256,
        Object.freeze({
          sha256: t.sha256,
          pageSize: t.pageSize,
          fields: Object.freeze([...t.fields]),
          warnings: Object.freeze([...t.warnings]),
          source: Object.freeze({ svg, fonts: Object.freeze([]) }),
        }),
      );
    }
    return renderer;
  }

  /** Faces of the fonts every template may use, in fallback order (not templates' own fonts). */
  get fonts(): readonly FontFace[] {
    return this.faces;
  }

  /** How many times the core instance was replaced (after a trap, or to give memory back). */
  get coreRestarts(): number {
    return this.core.restartCount;
  }

  /** Bytes and entries held by each cache (for tests and the bench). */
  get cacheUsage(): Record<keyof typeof CACHE_BUDGETS, { bytes: number; entries: number }> {
    const usage = (c: { bytes: number; size: number }) => ({ bytes: c.bytes, entries: c.size });
    return {
      templates: usage(this.compiled),
      backgrounds: usage(this.backgrounds),
      staticPreviews: usage(this.staticPreviews),
    };
  }

  /**
   * Loads bundled fonts that are otherwise loaded on first need (a character no loaded font
   * draws, or a template naming their family): the named lazy groups (LAZY_GROUPS) or CJK
   * slices (font-slices.ts), or every group that serves fallback. Returns whether anything was
   * loaded.
   */
  loadLazyFonts(groups: readonly string[] = fallbackGroups()): boolean {
    let loaded = false;
    for (const group of groups) {
      if (this.lazyGroupsLoaded.has(group)) continue;
      const files = bundledFontFiles(group);
      const faces = this.core.addFonts(files);
      // Slices answer to no family name: they are not among the fonts templates may name.
      if (files.some((file) => file.use !== 'fallback')) this.faces.push(...faces);
      this.lazyGroupsLoaded.add(group);
      loaded = true;
    }
    return loaded;
  }

  /** The lazy font groups and CJK slices loaded so far, in the order they were loaded. */
  get lazyGroups(): readonly string[] {
    return [...this.lazyGroupsLoaded];
  }

  /**
   * Runs `fn`; while it lacks glyphs that a lazy font group may have, loads that group and runs
   * it again. When it had to substitute a family nothing loaded has (FONT_SUBSTITUTED) before
   * the metric-compatible faces (Arimo, Tinos, Cousine) were loaded, loads them and runs it
   * again (`discard` frees the first result), so a template's fonts never depend on what this
   * renderer did before.
   */
  private withLazyFonts<T extends { warnings: readonly CoreWarning[] }>(fn: () => T, discard?: (value: T) => void): T {
    for (;;) {
      let value: T;
      try {
        value = fn();
      } catch (error) {
        if (!isCertforgeError(error) || error.code !== 'FONT_MISSING_GLYPHS') throw error;
        const chars = typeof error.details.characters === 'string' ? error.details.characters : '';
        if (!this.loadLazyFonts(lazyGroupsFor(chars, this.lazyGroupsLoaded)) && !this.loadLazyFonts()) throw error;
        continue;
      }
      if (value.warnings.some((w) => w.code === 'FONT_SUBSTITUTED') && this.loadLazyFonts(['metric'])) {
        discard?.(value);
        continue;
      }
      return value;
    }
  }

  /**
   * Compiles a template once per distinct content (sha256 of its bytes and its fonts).
   * `fonts` are the template's own: visible to this template only, so what it renders never
   * depends on which other templates this renderer compiled before.
   */
  compileTemplate(svg: Uint8Array | string, options: { fonts?: readonly Uint8Array[] } = {}): Template {
    const bytes = typeof svg === 'string' ? encoder.encode(svg) : svg;
    if (!(bytes instanceof Uint8Array))
      throw new CertforgeError('TEMPLATE_INVALID', 'The template must be a string or bytes');
    const given = options.fonts ?? [];
    const hash = createHash('sha256').update(bytes);
    for (const font of given) hash.update(sha256Hex(font));
    const sha256 = hash.digest('hex');
    const cached = this.handles.get(sha256);
    if (cached && this.compiled.get(sha256)) return cached;
    // Of the fonts given, the ones it names first, the others while they fit the core's limits
    // (font-names.ts): chosen on a compile only, the given fonts decide the choice.
    const template = this.compile({ svg: bytes, fonts: fontsForTemplate(bytes, given) }, sha256);
    this.handles.set(sha256, template);
    return template;
  }

  private compile(source: TemplateSource, sha256: string): Template {
    const text = new TextDecoder().decode(source.svg);
    const named = [...lazyFamilies()].filter(([, families]) => families.some((family) => text.includes(family)));
    this.loadLazyFonts(named.map(([group]) => group));
    const info = this.withLazyFonts(
      () => this.core.compile(source.svg, {}, source.fonts),
      (first) => this.core.dropTemplate(first.id),
    );
    const sourceBytes = source.svg.length + source.fonts.reduce((n, font) => n + font.length, 0);
    this.compiled.set(sha256, { coreId: info.id, rasterCost: info.rasterCost }, sourceBytes);
    return (
      this.handles.get(sha256) ??
      Object.freeze({
        sha256,
        pageSize: info.pageSize,
        fields: Object.freeze([...info.fields]),
        warnings: Object.freeze([...info.warnings]),
        source: Object.freeze({ svg: source.svg, fonts: Object.freeze([...source.fonts]) }),
      })
    );
  }

  /** The template's compiled form, compiling it again when the cache had evicted it. */
  private compiledFor(template: Template): Compiled {
    let entry = this.compiled.get(template.sha256);
    if (!entry) {
      this.compile(template.source, template.sha256);
      entry = this.compiled.get(template.sha256);
      if (!entry) throw new CertforgeError('LIMIT_EXCEEDED', 'The template is larger than the template cache', {});
    }
    return entry;
  }

  /** Frees a compiled template (it is compiled again if it is used afterwards). */
  dropTemplate(template: Template): void {
    this.compiled.delete(template.sha256);
    this.handles.delete(template.sha256);
  }

  async renderCertificate(
    template: Template | Uint8Array | string,
    data: CertificateData,
    options: RenderOptions = {},
  ): Promise<RenderResult> {
    const opts = checkOptions(options);
    if (!isPlainObject(data)) throw new CertforgeError('INVALID_DATA', 'Certificate data must be a plain JSON object');
    const handle = this.resolveTemplate(template);
    const compiled = this.compiledFor(handle);
    const previewReady = opts.png ? initPreview() : undefined;

    // The core writes the whole PDF/A-3b file, document information and associated files
    // included, in one crossing. The text-as-paths layer is written only when a PNG or the
    // SVG is wanted.
    const meta = pdfMetaFor(data, options);
    let start = performance.now();
    const attachments = [
      ...(opts.attachData ? [dataAttachment(embeddedData(data, handle.fields))] : []),
      ...opts.attachments,
    ].map(coreAttachment);
    const finishMs = elapsed(start);
    start = performance.now();
    const out = this.withLazyFonts(() =>
      this.core.render(compiled.coreId, data, {
        preview: opts.png || opts.svg,
        language: meta.language,
        info: {
          title: meta.title,
          author: meta.author,
          subject: meta.subject,
          keywords: meta.keywords.filter((keyword) => keyword.length > 0),
          creator: meta.creator,
          producer: meta.producer,
          creationDate: meta.creationDate.toISOString(),
        },
        attachments,
      }),
    );
    // Read while the template is surely compiled: the awaits below let other renders run.
    const staticSvg = opts.png || opts.svg ? this.staticPreview(handle, compiled) : '';
    const coreMs = elapsed(start);
    const warnings = [...out.warnings];

    const pdf = out.pdf;

    let png: Uint8Array | undefined;
    let pngMs = 0;
    if (previewReady) {
      await previewReady;
      start = performance.now();
      const width = previewWidth(out.pageSize, opts.pngWidth, Math.max(compiled.rasterCost, out.rasterCost));
      if (width < opts.pngWidth) {
        warnings.push({
          code: 'PREVIEW_DOWNSCALED',
          message: `The PNG preview is ${width} px wide instead of ${opts.pngWidth}: its pixels are bounded (${PNG_MAX_PIXELS} pixels, and ${PNG_RASTER_BUDGET_BYTES / 1048576} MiB of rasters for the template's layers and filters)`,
        });
      }
      const overlay = rasterize(out.svg, width);
      try {
        png = composePng(this.background(handle, staticSvg, width), overlay);
      } finally {
        releaseRaster(overlay);
      }
      pngMs = elapsed(start);
    }

    return {
      pdf,
      ...(png ? { png } : {}),
      ...(opts.svg ? { svg: fullPreviewSvg(staticSvg, out.svg) } : {}),
      sha256: sha256Hex(pdf),
      pageSize: out.pageSize,
      warnings,
      fields: out.fields,
      timings: { coreMs, finishMs, pngMs },
    };
  }

  /** The template's static artwork rasterised at `width` on white, kept as compressed strips. */
  private background(template: Template, staticSvg: string, width: number): Background {
    const key = `${template.sha256}@${width}`;
    let layer = this.backgrounds.get(key);
    if (!layer) {
      const raster = rasterize(staticSvg, width, 'white');
      try {
        layer = backgroundLayer(raster);
      } finally {
        releaseRaster(raster);
      }
      this.backgrounds.set(key, layer, layer.bytes);
    }
    return layer;
  }

  private staticPreview(template: Template, compiled: Compiled): string {
    let svg = this.staticPreviews.get(template.sha256);
    if (svg === undefined) {
      svg = this.core.staticPreview(compiled.coreId);
      this.staticPreviews.set(template.sha256, svg, svg.length * 2);
    }
    return svg;
  }

  private resolveTemplate(template: Template | Uint8Array | string): Template {
    if (typeof template === 'string' || template instanceof Uint8Array) return this.compileTemplate(template);
    if (!template || typeof template.sha256 !== 'string' || !template.source) {
      throw new CertforgeError('TEMPLATE_INVALID', 'Not a template compiled by a renderer');
    }
    return template;
  }
}

/**
 * The preview's width: the requested one, lowered so that the canvas stays within
 * PNG_MAX_PIXELS and the canvas plus `rasterCost` page-sized rasters within
 * PNG_RASTER_BUDGET_BYTES. Never below PNG_WIDTH_MIN: past that the template is refused.
 */
export function previewWidth(page: PageSize, requested: number, rasterCost: number): number {
  const aspect = page.height / page.width;
  const byPixels = Math.sqrt(PNG_MAX_PIXELS / aspect);
  const byBudget = Math.sqrt(PNG_RASTER_BUDGET_BYTES / (4 * (1 + rasterCost)) / aspect);
  const width = Math.min(requested, Math.floor(byPixels), Math.floor(byBudget));
  if (width < PNG_WIDTH_MIN) {
    throw new CertforgeError(
      'LIMIT_EXCEEDED',
      `The PNG preview of this template would need more than ${PNG_RASTER_BUDGET_BYTES / 1048576} MiB of rasters even at ${PNG_WIDTH_MIN} px`,
      { what: 'preview rasters in bytes', limit: PNG_RASTER_BUDGET_BYTES, rasterCost },
    );
  }
  return width;
}

/** The whole certificate with text as paths: static artwork, then the variable elements. */
function fullPreviewSvg(background: string, overlay: string): string {
  const inner = overlay.slice(overlay.indexOf('>') + 1, overlay.lastIndexOf('</svg>'));
  return background.slice(0, background.lastIndexOf('</svg>')) + inner + '</svg>';
}

/**
 * The process-wide renderer. Options are honoured by the first call only; later calls
 * return the same renderer. A failed initialization is not cached.
 */
export const initRenderer: (options?: RendererOptions) => Promise<Renderer> = once(
  async (options: RendererOptions = {}) => {
    // The build's snapshot (snapshot.ts): fonts added and bundled templates compiled already.
    const plain = options.wasm === undefined && (options.extraFonts ?? []).length === 0;
    const restored = plain ? await (await import('./snapshot.js')).restoreSnapshot() : undefined;
    return restored ?? Renderer.create(options);
  },
);

/** initRenderer() then renderer.renderCertificate(). */
export async function renderCertificate(
  template: Template | Uint8Array | string,
  data: CertificateData,
  options: RenderOptions = {},
): Promise<RenderResult> {
  const renderer = await initRenderer();
  return renderer.renderCertificate(template, data, options);
}
