/**
 * The boot script: a classic script in every page's <head> (/i18n-boot.js, built by src/pages/i18n-boot.js.ts)
 * that sets `<html lang dir>` before the first paint, from the same choice lib/i18n.ts makes (the language switch's
 * choice, else the best of the browser's languages). The pages' CSP allows no inline script, hence a file.
 * In a language other than English it also hides the page until lib/i18n.ts has put the words in (so nobody
 * sees English flash first) — for 3 s at most, should the scripts fail to load.
 */
import { DEFAULT_LANGUAGE, LANGUAGES, bestLanguage, textDirection } from '../../../cms/src/plugins/eas/shared/i18n/languages';

/** Where the language switch's choice is kept on the device. */
export const LANGUAGE_STORAGE_KEY = 'eas.language';

/** How long the page stays hidden at most while its words are being translated. */
const HIDE_AT_MOST_MS = 3000;

export const bootScript = (): string => {
  const rtl = LANGUAGES.filter((lang) => textDirection(lang) === 'rtl');
  return `(function () {
  var supported = ${JSON.stringify(LANGUAGES)}, rtl = ${JSON.stringify(rtl)}, fallback = ${JSON.stringify(DEFAULT_LANGUAGE)};
  var bestLanguage = ${bestLanguage.toString()};
  var lang = null;
  try { lang = localStorage.getItem(${JSON.stringify(LANGUAGE_STORAGE_KEY)}); } catch (e) {}
  if (supported.indexOf(lang) < 0) lang = bestLanguage(navigator.languages || [navigator.language || ''], supported, fallback);
  var html = document.documentElement;
  html.setAttribute('lang', lang);
  html.setAttribute('dir', rtl.indexOf(lang) < 0 ? 'ltr' : 'rtl');
  if (lang !== fallback) {
    html.setAttribute('data-i18n', 'loading');
    setTimeout(function () { html.removeAttribute('data-i18n'); }, ${HIDE_AT_MOST_MS});
  }
})();
`;
};
