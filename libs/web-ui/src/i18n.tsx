import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/** The languages of CityCred's public pages: Korean first (the city's), English on request. */
export type Lang = 'ko' | 'en';

/** What {@link useLanguage} gives. */
export interface Language {
  readonly lang: Lang;
  setLang(lang: Lang): void;
  /** Switches to the other language. */
  toggle(): void;
}

const LanguageContext = createContext<Language | null>(null);

/** The language a page opens in: English when its address asks for it (`?lang=en`), else Korean. */
export function initialLang(search: string = location.search): Lang {
  return new URLSearchParams(search).get('lang') === 'en' ? 'en' : 'ko';
}

/**
 * Holds the page's language (from {@link initialLang} unless `initial` is given) and keeps `<html lang>` in step, so
 * assistive technology reads the page in the language shown.
 */
export function LanguageProvider({ children, initial }: { children: ReactNode; initial?: Lang }): ReactNode {
  const [lang, setLang] = useState<Lang>(() => initial ?? initialLang());
  const toggle = useCallback(() => setLang((current) => (current === 'ko' ? 'en' : 'ko')), []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo(() => ({ lang, setLang, toggle }), [lang, toggle]);
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

/**
 * The page's language.
 * @throws Error outside a {@link LanguageProvider}
 */
export function useLanguage(): Language {
  const language = useContext(LanguageContext);
  if (!language) throw new Error('useLanguage needs a LanguageProvider above it');
  return language;
}

/** A page's messages in the current language, from its catalogue of both. */
export function useMessages<M>(catalogue: Readonly<Record<Lang, M>>): M {
  return catalogue[useLanguage().lang];
}

/** Sets the document's title while the component is shown (in the current language). */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title;
  }, [title]);
}

/** A message with its `{name}` placeholders filled; placeholders without a value stay as they are. */
export function fill(text: string, values: Readonly<Record<string, string | number>> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/**
 * The language switch: a button named in the other language, in that language (`lang`), so a screen reader says
 * "English" in English on a Korean page.
 */
export function LanguageSwitch({ id = 'language', className }: { id?: string; className?: string }): ReactNode {
  const { lang, toggle } = useLanguage();
  const other: Lang = lang === 'ko' ? 'en' : 'ko';
  return (
    <button type="button" id={id} className={className} lang={other} onClick={toggle}>
      {other === 'en' ? 'English' : '한국어'}
    </button>
  );
}
