/** Paths, templates and example data shared by the tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CertificateData } from '../../functions/src/render/index.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const rootPath = (relative: string): string => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

export const TEMPLATE_PATHS = {
  classic: rootPath('functions/templates/classic.svg'),
  modern: rootPath('functions/templates/modern.svg'),
} as const;
export type TemplateName = keyof typeof TEMPLATE_PATHS;

export function templateBytes(name: TemplateName): Uint8Array {
  return new Uint8Array(readFileSync(TEMPLATE_PATHS[name]));
}

export function templateText(name: TemplateName): string {
  return readFileSync(TEMPLATE_PATHS[name], 'utf8');
}

interface Speaker {
  id: string;
  name: string;
  email?: string;
  talk?: { title?: string };
  [key: string]: unknown;
}

interface EventFile {
  event: { name: string; date: string; place: string; [key: string]: unknown };
  signatories: Array<{ name: string; role: string }>;
}

export const EVENT: EventFile = JSON.parse(readFileSync(rootPath('examples/event.json'), 'utf8')) as EventFile;
export const SPEAKERS: Speaker[] = (
  JSON.parse(readFileSync(rootPath('examples/speakers.json'), 'utf8')) as { speakers: Speaker[] }
).speakers;

export function speaker(id: string): Speaker {
  const found = SPEAKERS.find((s) => s.id === id);
  if (!found) throw new Error(`examples/speakers.json has no speaker ${id}`);
  return found;
}

/**
 * The certificate data of one speaker: the example event and signatories merged in, with a
 * fixed certificate id/url (so that renders are comparable across runs). `overrides` replaces
 * top-level fields, e.g. `{ name: '...' }`.
 */
export function certificateData(
  base: Speaker | { name: string },
  overrides: Partial<CertificateData> = {},
): CertificateData {
  const id = 'id' in base && typeof base.id === 'string' ? base.id : 'test';
  return {
    ...structuredClone(base),
    talk: 'talk' in base && base.talk ? structuredClone(base.talk) : { title: 'Serverless PDF Rendering at Scale' },
    event: structuredClone(EVENT.event),
    signatories: structuredClone(EVENT.signatories),
    certificate: { id: `CF-${id.toUpperCase()}`, url: `https://verify.certforge.dev/c/CF-${id.toUpperCase()}` },
    ...overrides,
  };
}

/** Unicode bidi controls that extractors add around right-to-left runs (LRM, RLM, LRE..RLO, LRI..PDI). */
const BIDI_CONTROLS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Removes bidi controls and NFC-normalizes. */
export function cleanText(text: string): string {
  return text.replace(BIDI_CONTROLS, '').normalize('NFC');
}

/**
 * The lines of an extracted text (textLines) joined with single spaces: a value a template
 * wrapped onto two lines reads as it was written, since the line break stands for the space at
 * the wrap. Nothing else is loosened: spaces inside a line are compared as extracted.
 */
export function joinedLines(text: string): string {
  return textLines(text).join(' ');
}

/** Non-empty lines of cleanText(text), trimmed. */
export function textLines(text: string): string[] {
  return cleanText(text)
    .split(/\r?\n|\f/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
