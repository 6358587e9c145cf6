/**
 * Where templates come from, compiled once per instance:
 * - bundled: `classic` and `modern` (functions/templates/*.svg), reserved ids;
 * - Storage: `templates/{templateId}/template.svg` plus optional fonts under
 *   `templates/{templateId}/fonts/` (.ttf / .otf), uploaded by organizers.
 *
 * A Storage template is re-checked on every use with one metadata request: when its
 * generation changed (re-uploaded), it is downloaded and compiled again. A template's fonts
 * are compiled with it and visible to it only (never to another template of the instance).
 * The cache is an LRU bounded by TEMPLATE_STORE_BUDGET; the renderer's own caches have theirs.
 */
import type { Renderer, Template } from '../render/index.js';
import { ByteLru } from '../render/byte-lru.js';
import { BUNDLED_TEMPLATE_IDS, bundledTemplateSvg } from '../render/bundled-templates.js';
import { CertforgeError } from '../render/errors.js';
import { IssueError } from './errors.js';
import type { ObjectStore } from '../shared/object-store.js';
import { TEMPLATE_FONT_FILE, TEMPLATE_ID_PATTERN, templateFontsPrefix, templateSvgPath } from '../shared/paths.js';

export { BUNDLED_TEMPLATE_IDS };

export interface ResolvedTemplate {
  templateId: string;
  /** `bundled-<sha256 prefix>` or the Storage generation of template.svg. */
  version: string;
  template: Template;
}

/** Fonts one Storage template may bring (the core holds them to the same bounds). */
/**
 * What a Storage template's font folder may hold, all downloaded (the service's bound); of it, the
 * fonts the template names are loaded, then others within LOADED_FONT_LIMITS (render/font-names.ts).
 */
export const TEMPLATE_FONT_LIMITS = { maxFonts: 48, maxBytes: 96 * 1024 * 1024 } as const;

/** Storage templates kept per instance, counted by their bytes (SVG + fonts): LRU beyond it. */
export const TEMPLATE_STORE_BUDGET = { maxBytes: 96 * 1024 * 1024, maxEntries: 16 } as const;

interface Entry {
  readonly generation: string;
  readonly loaded: Promise<ResolvedTemplate>;
}

export class TemplateStore {
  /** Bundled templates by id (two, never evicted). */
  private readonly bundled = new Map<string, Promise<ResolvedTemplate>>();
  /** Storage templates by id, at their current generation. */
  private readonly stored = new ByteLru<string, Entry>(
    TEMPLATE_STORE_BUDGET.maxBytes,
    TEMPLATE_STORE_BUDGET.maxEntries,
  );

  /** `store` undefined: only the bundled templates (the local preview server). */
  constructor(
    private readonly store: ObjectStore | undefined,
    private readonly renderer: () => Promise<Renderer>,
  ) {}

  /**
   * Runs `fn` with the compiled template. Throws IssueError TEMPLATE_NOT_FOUND, or the compile
   * error (TEMPLATE_PARSE, ...). The template handle stays valid while `fn` runs even if the
   * template is re-uploaded or evicted meanwhile: the renderer compiles it again from the
   * handle's bytes if it must.
   */
  async use<T>(templateId: string, fn: (resolved: ResolvedTemplate) => T | Promise<T>): Promise<T> {
    return fn(await this.resolve(templateId));
  }

  private async resolve(templateId: string): Promise<ResolvedTemplate> {
    if (!TEMPLATE_ID_PATTERN.test(templateId)) {
      throw new IssueError('TEMPLATE_NOT_FOUND', `"${templateId}" is not a valid template id`, { templateId });
    }
    if ((BUNDLED_TEMPLATE_IDS as readonly string[]).includes(templateId)) {
      let loaded = this.bundled.get(templateId);
      if (!loaded) {
        loaded = this.loadBundled(templateId);
        loaded.catch(() => this.bundled.delete(templateId));
        this.bundled.set(templateId, loaded);
      }
      return loaded;
    }
    const generation = this.store ? await this.store.generation(templateSvgPath(templateId)) : undefined;
    if (generation === undefined) {
      throw new IssueError(
        'TEMPLATE_NOT_FOUND',
        `No template "${templateId}" (expected ${templateSvgPath(templateId)} in Storage)`,
        {
          templateId,
        },
      );
    }
    const cached = this.stored.get(templateId);
    if (cached?.generation === generation) return cached.loaded;
    const entry: Entry = { generation, loaded: this.loadFromStorage(templateId, generation) };
    // Counted at the SVG limit until loaded, then at its real size.
    this.stored.set(templateId, entry, 2 * 1024 * 1024);
    entry.loaded.then(
      (resolved) => {
        if (this.stored.get(templateId) !== entry) return;
        const source = resolved.template.source;
        const bytes = source.svg.length + source.fonts.reduce((n, font) => n + font.length, 0);
        this.stored.set(templateId, entry, bytes);
      },
      // A failed load is not cached (Storage may have been unavailable); a compile error is cheap to reproduce.
      () => {
        if (this.stored.get(templateId) === entry) this.stored.delete(templateId);
      },
    );
    return entry.loaded;
  }

  private async loadBundled(templateId: string): Promise<ResolvedTemplate> {
    const svg = bundledTemplateSvg(templateId);
    const template = (await this.renderer()).compileTemplate(svg);
    return { templateId, version: `bundled-${template.sha256.slice(0, 12)}`, template };
  }

  private async loadFromStorage(templateId: string, generation: string): Promise<ResolvedTemplate> {
    const renderer = await this.renderer();
    const store = this.store!;
    const fontPaths = (await store.list(templateFontsPrefix(templateId)))
      .filter((path) => TEMPLATE_FONT_FILE.test(path))
      .sort();
    if (fontPaths.length > TEMPLATE_FONT_LIMITS.maxFonts) {
      throw new CertforgeError(
        'LIMIT_EXCEEDED',
        `Template "${templateId}" has ${fontPaths.length} fonts; at most ${TEMPLATE_FONT_LIMITS.maxFonts} are allowed`,
        { what: 'fonts supplied with the template', limit: TEMPLATE_FONT_LIMITS.maxFonts, actual: fontPaths.length },
      );
    }
    // One at a time, so that a template over the byte limit is refused before all of it is in memory.
    const fonts: Uint8Array[] = [];
    let fontBytes = 0;
    for (const path of fontPaths) {
      const font = await store.download(path);
      fontBytes += font.length;
      if (fontBytes > TEMPLATE_FONT_LIMITS.maxBytes) {
        throw new CertforgeError(
          'LIMIT_EXCEEDED',
          `The fonts of template "${templateId}" exceed ${TEMPLATE_FONT_LIMITS.maxBytes / 1048576} MiB`,
          {
            what: 'bytes of the fonts supplied with the template',
            limit: TEMPLATE_FONT_LIMITS.maxBytes,
            actual: fontBytes,
          },
        );
      }
      fonts.push(font);
    }
    const svg = await store.download(templateSvgPath(templateId));
    const template = renderer.compileTemplate(svg, { fonts });
    return { templateId, version: generation, template };
  }
}

let bundledOnly: TemplateStore | undefined;

/** A store of the bundled templates only, shared per process. */
export function bundledTemplates(renderer: () => Promise<Renderer>): TemplateStore {
  bundledOnly ??= new TemplateStore(undefined, renderer);
  return bundledOnly;
}
