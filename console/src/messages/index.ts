/**
 * The console's catalogs, one typed object per language of shared/languages.ts (the verification
 * page and mail use the same languages and the same negotiation). A language missing here or a
 * key missing in one is a type error: `npm run build:console` runs tsc first.
 */
import type { Language } from '../../../functions/src/shared/languages.js';
import { ar } from './ar.js';
import { de } from './de.js';
import { en, type ConsoleMessages } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { ja } from './ja.js';
import { pt } from './pt.js';
import { zh } from './zh.js';

export type { ConsoleMessages };

export const CATALOGS: Record<Language, ConsoleMessages> = { en, es, pt, fr, de, ar, zh, ja };

/** Each language's name in itself, for the language menu. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  es: 'Español',
  pt: 'Português',
  fr: 'Français',
  de: 'Deutsch',
  ar: 'العربية',
  zh: '中文（简体）',
  ja: '日本語',
};

/** The text of `key` in a keyed group (failures, warnings, roles, ...), if the catalog has it. */
export function lookup(group: object, key: string): string | undefined {
  const value = (group as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}
