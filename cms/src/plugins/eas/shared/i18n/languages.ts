/**
 * The languages EAS speaks — on the capture site and on the public verify page — and how one is chosen from a
 * person's preferences. One list for both: a language is added here, then given its catalogues (docs/languages.md).
 */
export const LANGUAGES = ['en', 'fr', 'es', 'pt', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'en';

/** Each language's name in itself, as a language switch shows it. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  fr: 'Français',
  es: 'Español',
  pt: 'Português',
  ar: 'العربية',
};

const RIGHT_TO_LEFT: readonly Language[] = ['ar'];

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

export const textDirection = (lang: Language): 'ltr' | 'rtl' => (RIGHT_TO_LEFT.includes(lang) ? 'rtl' : 'ltr');

/**
 * The first of `preferences` (BCP 47 tags, most wanted first, as `navigator.languages` lists them) that `supported`
 * has — the whole tag, else its primary language (`fr-CA` → `fr`) — and `fallback` when none is.
 *
 * Self-contained on purpose (it uses nothing but its arguments): the site's boot script, which must set
 * `<html lang dir>` before the first paint, embeds this function's source (site/src/lib/i18n-boot.ts).
 */
export function bestLanguage<L extends string>(preferences: readonly string[], supported: readonly L[], fallback: L): L {
  for (const preference of preferences) {
    const tag = String(preference).trim().toLowerCase();
    const primary = tag.split('-')[0];
    for (const candidate of [tag, primary]) {
      const match = supported.find((s) => s.toLowerCase() === candidate);
      if (match) return match;
    }
  }
  return fallback;
}

/** An Accept-Language header as tags, most wanted first (by q, then by order); tags with q=0 are left out. */
export const parseAcceptLanguage = (header: string | undefined): string[] =>
  (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1
      );
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((w) => w.tag && w.tag !== '*' && w.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((w) => w.tag);

/** The language for a list of preferences (the browser's languages, or a parsed Accept-Language header). */
export const negotiateLanguage = (preferences: readonly string[]): Language => bestLanguage(preferences, LANGUAGES, DEFAULT_LANGUAGE);
