/**
 * Where templates come from, compiled once per instance:
 * - bundled: `classic` and `modern` (functions/templates/*.svg), reserved ids;
 * - Storage: `templates/{templateId}/template.svg` plus optional fonts under
 *   `templates/{templateId}/fonts/` (.ttf / .otf), uploaded by organizers.
 *
 * A Storage template is re-checked on every use with one metadata request: when its
 * generation changed (re-uploaded), it is downloaded and compiled again and the old
 * compiled form is dropped. Fonts are keyed by generation too.
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

export class TemplateStore {
  private readonly cache = new Map<string, Promise<ResolvedTemplate>>();

  /** `store` undefined: only the bundled templates (the local preview server). */
  constructor(
    private readonly store: ObjectStore | undefined,
    private readonly renderer: () => Promise<Renderer>,
  ) {}

  /** The compiled template; IssueError TEMPLATE_NOT_FOUND, or the compile error (TEMPLATE_PARSE, ...). */
  async get(templateId: string): Promise<ResolvedTemplate> {
    if (!TEMPLATE_ID.test(templateId)) {
      throw new IssueError('TEMPLATE_NOT_FOUND', `"${templateId}" is not a valid template id`, { templateId });
    }
    if ((BUNDLED_TEMPLATE_IDS as readonly string[]).includes(templateId)) return this.bundled(templateId);

    const generation = this.store ? await this.store.generation(templateSvgPath(templateId)) : undefined;
    if (generation === undefined) {
      throw new IssueError('TEMPLATE_NOT_FOUND', `No template "${templateId}" (expected ${templateSvgPath(templateId)} in Storage)`, {
        templateId,
      });
    }
    const key = `${templateId}@${generation}`;
    let entry = this.cache.get(key);
    if (!entry) {
      entry = this.loadFromStorage(templateId, generation);
      this.cache.set(key, entry);
      // A failed load is not cached (Storage may have been unavailable); a compile
      // error is cheap to reproduce and is reported the same way each time.
      entry.catch(() => this.cache.delete(key));
      void this.evictOlder(templateId, key);
    }
    return entry;
  }

  private bundled(templateId: string): Promise<ResolvedTemplate> {
    let entry = this.cache.get(templateId);
    if (!entry) {
      entry = (async () => {
        const svg = readFileSync(new URL(`${templateId}.svg`, BUNDLED_DIR));
        const template = (await this.renderer()).compileTemplate(svg);
        return { templateId, version: `bundled-${template.sha256.slice(0, 12)}`, template };
      })();
      this.cache.set(templateId, entry);
      entry.catch(() => this.cache.delete(templateId));
    }
    return entry;
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

  /** Drops compiled forms of older generations of the template once the new one is ready. */
  private async evictOlder(templateId: string, currentKey: string): Promise<void> {
    const current = this.cache.get(currentKey);
    let fresh: ResolvedTemplate;
    try {
      fresh = await current!;
    } catch {
      return;
    }
    const renderer = await this.renderer();
    for (const [key, entry] of [...this.cache]) {
      if (key === currentKey || !key.startsWith(`${templateId}@`)) continue;
      this.cache.delete(key);
      const old = await entry.catch(() => undefined);
      if (old && old.template.sha256 !== fresh.template.sha256) renderer.dropTemplate(old.template);
    }
  }
}

let bundledOnly: TemplateStore | undefined;

/** A store of the bundled templates only, shared per process. */
export function bundledTemplates(renderer: () => Promise<Renderer>): TemplateStore {
  bundledOnly ??= new TemplateStore(undefined, renderer);
  return bundledOnly;
}
