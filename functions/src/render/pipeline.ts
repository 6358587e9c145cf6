/**
 * renderCertificate(template, data, options) → { pdf, png, svg, sha256, pageSize, warnings, timings }.
 *
 * One renderer per process (initRenderer() caches a promise): the wasm core with the
 * bundled fonts loaded (the CJK ones on first need), templates compiled once per sha256
 * of their bytes, PNG backgrounds rasterised once per template and width.
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
  type CoreWarning,
  type FieldLayout,
  type FontFace,
  type PageSize,
} from './core.js';
import { CertforgeError, isCertforgeError } from './errors.js';
import { finishPdf, type PdfMeta } from './finish-pdf.js';
import { bundledFontFiles, lazyFamilies } from './fonts.js';
import { DEFAULT_PNG_WIDTH, composePng, initPreview, rasterize, type Raster } from './preview.js';

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
  /** Embed the data as certificate.json in the PDF. Default false. */
  attachData?: boolean;
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
  /** Core template id (stable for this renderer until dropTemplate). */
  readonly id: number;
  /** Hex sha256 of the template bytes. */
  readonly sha256: string;
  readonly pageSize: PageSize;
  /** Placeholder names the template uses, e.g. `event.name`. */
  readonly fields: readonly string[];
  readonly warnings: readonly CoreWarning[];
}

export interface RendererOptions {
  /** Fonts added after the bundled ones (e.g. a template's own fonts). */
  extraFonts?: ReadonlyArray<Uint8Array | CoreFont>;
  /** Override the core's wasm module (tests). */
  wasm?: CoreCreateOptions['wasm'];
}

export const PNG_WIDTH_MIN = 100;
export const PNG_WIDTH_MAX = 6000;
/** PDF date used when the data has no parseable issuedAt / event.date. */
export const FALLBACK_CREATION_DATE = new Date(Date.UTC(2000, 0, 1));

const CREATOR = 'certforge';
const PRODUCER = 'certforge (usvg + krilla)';
const encoder = new TextEncoder();

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
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

function checkOptions(options: RenderOptions): { png: boolean; svg: boolean; pngWidth: number; attachData: boolean } {
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
  return { png, svg: options.svg ?? png, pngWidth, attachData: options.attachData ?? false };
}

function elapsed(start: number): number {
  return Math.round((performance.now() - start) * 100) / 100;
}

export class Renderer {
  private readonly templates = new Map<string, Template>();
  /** Rasterised static artwork per template and width: `${sha256}@${width}`. */
  private readonly backgrounds = new Map<string, Raster>();
  /** The static artwork as a text-as-paths SVG, per template sha256 (fetched from the core once). */
  private readonly staticPreviews = new Map<string, string>();

  private lazyFontsLoaded = false;
  /** sha256 of fonts added with addFonts(). */
  private readonly extraFontHashes = new Set<string>();

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
   * Adds fonts (e.g. a template's own) after those already loaded. A font already added
   * (same bytes) is skipped, so calling this for every use of a template is cheap.
   * Returns the faces of the fonts that were new.
   */
  addFonts(fonts: ReadonlyArray<Uint8Array>): FontFace[] {
    const added: FontFace[] = [];
    for (const font of fonts) {
      const key = sha256Hex(font);
      if (this.extraFontHashes.has(key)) continue;
      const faces = this.core.addFonts([font]);
      this.extraFontHashes.add(key);
      this.faces.push(...faces);
      added.push(...faces);
    }
    return added;
  }

  /** Faces of all loaded fonts, in fallback order. */
  get fonts(): readonly FontFace[] {
    return this.faces;
  }

  /**
   * Loads the bundled CJK fonts (35 MB) now. They are otherwise loaded on first need: a
   * character no other font draws, or a template naming their family.
   */
  loadLazyFonts(): void {
    if (this.lazyFontsLoaded) return;
    this.faces.push(...this.core.addFonts(bundledFontFiles('lazy')));
    this.lazyFontsLoaded = true;
  }

  /** Runs `fn`; when it lacks glyphs and the CJK fonts are not loaded yet, loads them and runs it again. */
  private withLazyFonts<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (this.lazyFontsLoaded || !isCertforgeError(error) || error.code !== 'FONT_MISSING_GLYPHS') throw error;
      this.loadLazyFonts();
      return fn();
    }
  }

  /** Compiles a template once per distinct content (sha256 of its bytes). */
  compileTemplate(svg: Uint8Array | string): Template {
    const bytes = typeof svg === 'string' ? encoder.encode(svg) : svg;
    if (!(bytes instanceof Uint8Array))
      throw new CertforgeError('TEMPLATE_INVALID', 'The template must be a string or bytes');
    const sha256 = sha256Hex(bytes);
    const cached = this.templates.get(sha256);
    if (cached) return cached;
    if (!this.lazyFontsLoaded) {
      const text = new TextDecoder().decode(bytes);
      if (lazyFamilies().some((family) => text.includes(family))) this.loadLazyFonts();
    }
    const info = this.withLazyFonts(() => this.core.compile(bytes, {}));
    const template: Template = Object.freeze({
      id: info.id,
      sha256,
      pageSize: info.pageSize,
      fields: Object.freeze([...info.fields]),
      warnings: Object.freeze([...info.warnings]),
    });
    this.templates.set(sha256, template);
    return template;
  }

  /** Frees a compiled template (its id becomes invalid). */
  dropTemplate(template: Template): void {
    if (this.templates.get(template.sha256) !== template) return;
    this.templates.delete(template.sha256);
    this.staticPreviews.delete(template.sha256);
    for (const key of [...this.backgrounds.keys()]) {
      if (key.startsWith(`${template.sha256}@`)) this.backgrounds.delete(key);
    }
    this.core.dropTemplate(template.id);
  }

  async renderCertificate(
    template: Template | Uint8Array | string,
    data: CertificateData,
    options: RenderOptions = {},
  ): Promise<RenderResult> {
    const opts = checkOptions(options);
    if (!isPlainObject(data)) throw new CertforgeError('INVALID_DATA', 'Certificate data must be a plain JSON object');
    const compiled = this.resolveTemplate(template);
    const previewReady = opts.png ? initPreview() : undefined;

    // The core writes the document information itself (one crossing, no second parse of
    // the PDF); pdf-lib only runs to attach the data. The text-as-paths layer is written
    // only when a PNG or the SVG is wanted.
    const meta = pdfMetaFor(data, options);
    let start = performance.now();
    const out = this.withLazyFonts(() => this.core.render(compiled.id, data, {
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
    }));
    const coreMs = elapsed(start);

    start = performance.now();
    let pdf = out.pdf;
    if (opts.attachData) {
      meta.attachment = { name: 'certificate.json', json: data };
      pdf = await finishPdf(out.pdf, meta);
    }
    const finishMs = elapsed(start);

    let png: Uint8Array | undefined;
    let pngMs = 0;
    if (previewReady) {
      await previewReady;
      start = performance.now();
      png = composePng(this.background(compiled, opts.pngWidth), rasterize(out.svg, opts.pngWidth));
      pngMs = elapsed(start);
    }

    return {
      pdf,
      ...(png ? { png } : {}),
      ...(opts.svg ? { svg: this.fullPreviewSvg(compiled, out.svg) } : {}),
      sha256: sha256Hex(pdf),
      pageSize: out.pageSize,
      warnings: out.warnings,
      fields: out.fields,
      timings: { coreMs, finishMs, pngMs },
    };
  }

  /** The template's static artwork rasterised at `width` on white, computed once. */
  private background(template: Template, width: number): Raster {
    const key = `${template.sha256}@${width}`;
    let raster = this.backgrounds.get(key);
    if (!raster) {
      raster = rasterize(this.staticPreview(template), width, 'white');
      this.backgrounds.set(key, raster);
    }
    return raster;
  }

  private staticPreview(template: Template): string {
    let svg = this.staticPreviews.get(template.sha256);
    if (svg === undefined) {
      svg = this.core.staticPreview(template.id);
      this.staticPreviews.set(template.sha256, svg);
    }
    return svg;
  }

  /** The whole certificate with text as paths: static artwork, then the variable elements. */
  private fullPreviewSvg(template: Template, overlay: string): string {
    const background = this.staticPreview(template);
    const inner = overlay.slice(overlay.indexOf('>') + 1, overlay.lastIndexOf('</svg>'));
    return background.slice(0, background.lastIndexOf('</svg>')) + inner + '</svg>';
  }

  private resolveTemplate(template: Template | Uint8Array | string): Template {
    if (typeof template === 'string' || template instanceof Uint8Array) return this.compileTemplate(template);
    if (this.templates.get(template.sha256) !== template) {
      throw new CertforgeError('TEMPLATE_INVALID', 'The template was not compiled by this renderer (or was dropped)', {
        sha256: template.sha256,
      });
    }
    return template;
  }
}

let shared: Promise<Renderer> | undefined;

/**
 * The process-wide renderer. Options are honoured by the first call only; later calls
 * return the same renderer. A failed initialization is not cached.
 */
export function initRenderer(options: RendererOptions = {}): Promise<Renderer> {
  shared ??= Renderer.create(options).catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

/** initRenderer() then renderer.renderCertificate(). */
export async function renderCertificate(
  template: Template | Uint8Array | string,
  data: CertificateData,
  options: RenderOptions = {},
): Promise<RenderResult> {
  const renderer = await initRenderer();
  return renderer.renderCertificate(template, data, options);
}
