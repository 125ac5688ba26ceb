/**
 * How this page types and shows days and values: in the page's language (the browser's own variant of it when it
 * has one). One reading for the capture form, its review and the read-only record view.
 */
import { dateFormat, localeFor } from '../lib/dates';
import { displayWords } from '../lib/record-lines';

/** Dates typed and shown in the page's language (the browser's own variant of it when it has one). */
export const DATES = dateFormat(localeFor(document.documentElement.lang || 'en', navigator.languages ?? []));

/** Yes/No, days, numbers and "3 entries" as the person reads them. */
export const WORDS = displayWords(DATES);
