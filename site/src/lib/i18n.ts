/**
 * The capture site's language: the one the person chose with the language switch (kept in localStorage), else the
 * best of the browser's languages (navigator.languages), else English. Only that language's catalogue is fetched,
 * by dynamic import, and this module waits for it (top-level await): every script that imports it runs after the
 * catalogue is there, so t() is synchronous and already right in custom elements' connectedCallback.
 *
 *   import { t, tn, formatDateTime } from '../lib/i18n';
 *   t('signIn.title'); tn('formList.available', 3); formatDateTime(record.createdAt);
 *
 * Static markup is translated by attributes (applyTranslations, run once for the document on load):
 *   <h1 data-t="signIn.title">Sign in</h1>  <input data-t-placeholder="…" data-t-aria-label="…" data-t-title="…">
 */
import { LANGUAGES, isLanguage, negotiateLanguage, textDirection, type Language } from '../../../cms/src/plugins/eas/shared/i18n/languages';
import type { Catalogue, MessageKey } from '../i18n/types';
import { LANGUAGE_STORAGE_KEY } from './i18n-boot';
import { useTranslator } from './messages';
import { createTranslator } from './translate';

export type Lang = Language;
export type { MessageKey, MessageParams, PluralFamily } from '../i18n/types';
export { LANGUAGES, LANGUAGE_NAMES } from '../../../cms/src/plugins/eas/shared/i18n/languages';

/** One loader per language: Vite makes each catalogue its own chunk, fetched only when chosen. */
const CATALOGUES: Record<Language, () => Promise<Catalogue>> = {
  en: () => import('../i18n/en').then((m) => m.en),
  fr: () => import('../i18n/fr').then((m) => m.fr),
  es: () => import('../i18n/es').then((m) => m.es),
  pt: () => import('../i18n/pt').then((m) => m.pt),
  ar: () => import('../i18n/ar').then((m) => m.ar),
};

const storedLanguage = (): string | null => {
  try {
    return localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    return null; // storage blocked (private mode, policy): the browser's languages decide
  }
};

const chosen = storedLanguage();
const current: Language = isLanguage(chosen) ? chosen : negotiateLanguage(navigator.languages ?? [navigator.language]);
const translator = createTranslator(current, await CATALOGUES[current]());
// Modules that also run under Node (queue, sync state, validation…) speak through lib/messages.ts.
useTranslator(translator);

export const { t, tn, formatNumber, formatDate, formatDateTime, formatRelative } = translator;

export const language = (): Lang => current;

export const dir = (): 'ltr' | 'rtl' => textDirection(current);

/** Remembers `lang` on this device and reloads the page, which then renders everything in it. */
export const setLanguage = (lang: Lang): void => {
  if (!LANGUAGES.includes(lang)) throw new RangeError(`Unknown language: ${lang}`);
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, lang);
  } catch {
    /* not remembered; this page still switches */
  }
  if (lang !== current) location.reload();
};

const ATTRIBUTES = ['placeholder', 'aria-label', 'title', 'content'] as const;

/**
 * Fills the static markup under `root` in the current language: `data-t="key"` sets the element's text,
 * `data-t-placeholder`, `data-t-aria-label`, `data-t-title` (and `data-t-content`, for meta tags) set that attribute.
 */
export const applyTranslations = (root: ParentNode = document): void => {
  for (const el of root.querySelectorAll<HTMLElement>('[data-t]')) el.textContent = t(el.dataset.t as MessageKey);
  for (const attribute of ATTRIBUTES) {
    for (const el of root.querySelectorAll<HTMLElement>(`[data-t-${attribute}]`)) {
      el.setAttribute(attribute, t(el.getAttribute(`data-t-${attribute}`) as MessageKey));
    }
  }
};

// The boot script set these before the first paint already; this keeps them right without it (e.g. in tests).
document.documentElement.lang = current;
document.documentElement.dir = dir();
applyTranslations(document);
// The page was kept hidden while it still showed English words in another language (boot.js): show it now.
delete document.documentElement.dataset.i18n;
