/**
 * Where templates come from, compiled once per instance:
 * - bundled: `classic` and `modern` (functions/templates/*.svg), reserved ids;
 * - Storage: `templates/{templateId}/template.svg` plus optional fonts under
 *   `templates/{templateId}/fonts/` (.ttf / .otf), uploaded by organizers.
 *
 * A Storage template is re-checked on every use with one metadata request: when its
 * generation changed (re-uploaded), it is downloaded and compiled again, and the old
 * compiled form is dropped once the renders using it are done.
 */
import { readFileSync } from 'node:fs';
import type { Renderer, Template } from '../render/index.js';
import { IssueError } from './errors.js';
import type { ObjectStore } from './object-store.js';

export const BUNDLED_TEMPLATE_IDS = ['classic', 'modern'] as const;
const BUNDLED_DIR = new URL('../../templates/', import.meta.url);
const FONT_EXTENSIONS = /\.(ttf|otf|ttc)$/i;
/** Template ids as accepted in Storage paths. */
const TEMPLATE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface ResolvedTemplate {
  templateId: string;
  /** `bundled-<sha256 prefix>` or the Storage generation of template.svg. */
  version: string;
  template: Template;
}

export function templateSvgPath(templateId: string): string {
  return `templates/${templateId}/template.svg`;
}

export function templateFontsPrefix(templateId: string): string {
  return `templates/${templateId}/fonts/`;
}

/** One compiled template version, counted while renders use it. */
interface Entry {
  readonly loaded: Promise<ResolvedTemplate>;
  /** Calls of use() running with this version. */
  users: number;
  /** Replaced by a newer generation: dropped from the renderer when its last user is done. */
  stale: boolean;
}

export class TemplateStore {
  /** Bundled templates by id; Storage templates by `${id}@${generation}` (current generation only). */
  private readonly cache = new Map<string, Entry>();

  /** `store` undefined: only the bundled templates (the local preview server). */
  constructor(
    private readonly store: ObjectStore | undefined,
    private readonly renderer: () => Promise<Renderer>,
  ) {}

  /**
   * Runs `fn` with the compiled template. Throws IssueError TEMPLATE_NOT_FOUND, or the compile
   * error (TEMPLATE_PARSE, ...). The compiled form stays valid until `fn` is done, even if the
   * template is re-uploaded meanwhile: an older version is dropped after its last user.
   */
  async use<T>(templateId: string, fn: (resolved: ResolvedTemplate) => T | Promise<T>): Promise<T> {
    const entry = await this.entry(templateId);
    entry.users++;
    try {
      return await fn(await entry.loaded);
    } finally {
      entry.users--;
      if (entry.stale && entry.users === 0) await this.drop(entry);
    }
  }

  private async entry(templateId: string): Promise<Entry> {
    if (!TEMPLATE_ID.test(templateId)) {
      throw new IssueError('TEMPLATE_NOT_FOUND', `"${templateId}" is not a valid template id`, { templateId });
    }
    if ((BUNDLED_TEMPLATE_IDS as readonly string[]).includes(templateId)) {
      return this.cached(templateId, () => this.loadBundled(templateId));
    }
    const generation = this.store ? await this.store.generation(templateSvgPath(templateId)) : undefined;
    if (generation === undefined) {
      throw new IssueError('TEMPLATE_NOT_FOUND', `No template "${templateId}" (expected ${templateSvgPath(templateId)} in Storage)`, {
        templateId,
      });
    }
    const key = `${templateId}@${generation}`;
    if (!this.cache.has(key)) {
      for (const [olderKey, older] of [...this.cache]) {
        if (!olderKey.startsWith(`${templateId}@`)) continue;
        this.cache.delete(olderKey);
        older.stale = true;
        if (older.users === 0) void this.drop(older);
      }
    }
    return this.cached(key, () => this.loadFromStorage(templateId, generation));
  }

  /**
   * The entry under `key`, loading it on first use. A failed load is not cached (Storage may
   * have been unavailable); a compile error is cheap to reproduce and reported the same way.
   */
  private cached(key: string, load: () => Promise<ResolvedTemplate>): Entry {
    let entry = this.cache.get(key);
    if (!entry) {
      const created: Entry = { loaded: load(), users: 0, stale: false };
      created.loaded.catch(() => {
        if (this.cache.get(key) === created) this.cache.delete(key);
      });
      this.cache.set(key, created);
      entry = created;
    }
    return entry;
  }

  private async loadBundled(templateId: string): Promise<ResolvedTemplate> {
    const svg = readFileSync(new URL(`${templateId}.svg`, BUNDLED_DIR));
    const template = (await this.renderer()).compileTemplate(svg);
    return { templateId, version: `bundled-${template.sha256.slice(0, 12)}`, template };
  }

  private async loadFromStorage(templateId: string, generation: string): Promise<ResolvedTemplate> {
    const renderer = await this.renderer();
    const store = this.store!;
    const fontPaths = (await store.list(templateFontsPrefix(templateId))).filter((path) => FONT_EXTENSIONS.test(path));
    const fonts = await Promise.all(fontPaths.sort().map((path) => store.download(path)));
    const svg = await store.download(templateSvgPath(templateId));
    renderer.addFonts(fonts);
    const template = renderer.compileTemplate(svg);
    return { templateId, version: generation, template };
  }

  /** Frees a replaced version's compiled form, unless a live version has the same bytes (same compiled template). */
  private async drop(entry: Entry): Promise<void> {
    const old = await entry.loaded.catch(() => undefined);
    if (!old) return;
    for (const live of this.cache.values()) {
      const current = await live.loaded.catch(() => undefined);
      if (current?.template === old.template) return;
    }
    (await this.renderer()).dropTemplate(old.template);
  }
}

let bundledOnly: TemplateStore | undefined;

/** A store of the bundled templates only, shared per process. */
export function bundledTemplates(renderer: () => Promise<Renderer>): TemplateStore {
  bundledOnly ??= new TemplateStore(undefined, renderer);
  return bundledOnly;
}
