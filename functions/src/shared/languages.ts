/**
 * The eight languages of everything certforge shows people (the verification page, the organizer
 * console, mail) and the one way a language is chosen from what a reader's browser asks for.
 * Each catalog is a typed object per language (verify/messages.ts, console/src/messages/): a
 * missing key is a type error, so it fails the build. Pure, no imports: the console imports it too.
 */
export const LANGUAGES = ['en', 'es', 'pt', 'fr', 'de', 'ar', 'zh', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Languages written right to left. */
export const RTL_LANGUAGES: ReadonlySet<Language> = new Set(['ar']);

/** The supported language of a tag (`pt-BR` → pt, `zh-TW` → zh), if any. */
export function supportedLanguage(tag: string): Language | undefined {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (LANGUAGES as readonly string[]).includes(primary) ? (primary as Language) : undefined;
}

/**
 * The first supported language of an Accept-Language value by q-value (ties in header order;
 * q=0 excludes), else `fallback`'s language, else English. Bounded: at most 32 entries are read.
 */
export function negotiateLanguage(acceptLanguage: string | undefined, fallback?: string): Language {
  const ranked: Array<{ language: Language; q: number; order: number }> = [];
  const excluded = new Set<string>();
  for (const [order, part] of (acceptLanguage ?? '').slice(0, 2048).split(',').slice(0, 32).entries()) {
    const [range = '', ...params] = part.split(';');
    const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q < 0 || q > 1) continue;
    const language = supportedLanguage(range);
    if (!language) continue;
    if (q === 0) excluded.add(language);
    else ranked.push({ language, q, order });
  }
  ranked.sort((a, b) => b.q - a.q || a.order - b.order);
  const chosen = ranked.find((r) => !excluded.has(r.language));
  if (chosen) return chosen.language;
  const other = fallback ? supportedLanguage(fallback) : undefined;
  return other && !excluded.has(other) ? other : 'en';
}
