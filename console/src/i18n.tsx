/**
 * The console's language: chosen once from the browser (navigator.languages, as the verification
 * page reads Accept-Language), switchable in the header and remembered on this device. Sets the
 * document's lang and dir (Arabic right to left).
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { LANGUAGES, negotiateLanguage, type Language } from '../../functions/src/shared/languages.js';
import { CATALOGS, type ConsoleMessages } from './messages/index.js';

const STORAGE_KEY = 'certforge.console.language';

function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved && (LANGUAGES as readonly string[]).includes(saved)) return saved as Language;
  return negotiateLanguage(navigator.languages.join(','));
}

interface I18n {
  language: Language;
  t: ConsoleMessages;
  setLanguage(language: Language): void;
  /** A date (ISO) in the console's language. */
  date(iso: string | null | undefined): string;
  number(n: number): string;
}

const Context = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ComponentChildren }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const t = CATALOGS[language];
  useEffect(() => {
    document.documentElement.lang = language;
    document.documentElement.dir = t.dir;
  }, [language, t]);
  const value = useMemo<I18n>(() => {
    const dates = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    const numbers = new Intl.NumberFormat(language);
    return {
      language,
      t,
      setLanguage(next) {
        localStorage.setItem(STORAGE_KEY, next);
        setLanguageState(next);
      },
      date: (iso) => (iso ? dates.format(new Date(iso)) : ''),
      number: (n) => numbers.format(n),
    };
  }, [language, t]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
