/**
 * The real certificate templates of ../shared/wild-templates (19 files from public repositories,
 * read in place, never copied): their manifest, the font files each one gets (Debian's, installed
 * with apt when missing and root, and the fonts of its repository), the data to fill them with,
 * and the SVG with the data written in for librsvg, the independent renderer they are compared with.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rootPath } from './fixtures.js';

export const WILD_DIR = resolve(rootPath(''), '../shared/wild-templates');
export const WILD_NAMES = [
  'Ada Lovelace',
  'Małgorzata Wiśniewska-Żółkiewska Brzęczyszczykiewicz',
  'عبد الرحمن بن محمد الفارسي',
];

export interface WildTemplate {
  id: string;
  file: string;
  tool: string;
  fields: Record<string, string>;
  fonts: { file: string; debian?: string }[];
  notes: string;
}

export function wildTemplates(): WildTemplate[] {
  const manifest = JSON.parse(readFileSync(join(WILD_DIR, 'templates.json'), 'utf8')) as { templates: WildTemplate[] };
  return manifest.templates;
}

/** The font files of one template: absolute paths (Debian's) or the repository's own (fonts/...). */
export function wildFontPaths(template: WildTemplate): string[] {
  return template.fonts.map((font) => (font.file.startsWith('/') ? font.file : join(WILD_DIR, font.file)));
}

/** Installs the Debian font packages the templates name, when they are missing and apt can. */
export function ensureWildFonts(templates: WildTemplate[]): string[] {
  const missing = templates.flatMap((t) => t.fonts.filter((f) => f.debian && !existsSync(f.file)));
  const packages = [...new Set(missing.map((f) => f.debian!))];
  if (packages.length > 0 && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    spawnSync('/usr/bin/apt-get', ['update', '-qq'], { stdio: 'ignore' });
    spawnSync('/usr/bin/apt-get', ['install', '-y', '-qq', ...packages], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  return [...new Set(templates.flatMap(wildFontPaths).filter((path) => !existsSync(path)))];
}

/** The certificate data of one template and name: its own fields, then the name. */
export function wildData(template: WildTemplate, name: string): Record<string, unknown> {
  return { ...template.fields, name, event: { name: 'Open Source Summit', date: '12 March 2026' } };
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The template with its placeholders written in, for librsvg. */
export function filledSvg(svg: string, data: Record<string, unknown>): string {
  return svg.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, key: string) => {
    const value = key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], data);
    return typeof value === 'string' ? escapeXml(value) : whole;
  });
}
