/**
 * Translation as pure functions of a language and its catalogue (no browser inside, so tests call it directly):
 * messages with `{name}` parameters, plurals chosen by Intl.PluralRules, dates and numbers written by Intl.
 * The site uses it through lib/i18n.ts, which picks the language and loads its catalogue.
 */
import type { Language } from '../../../cms/src/plugins/eas/shared/i18n/languages';
import type { Catalogue, MessageKey, MessageParams, PluralFamily } from '../i18n/types';

export interface Translator {
  /** The message for `key` with its `{name}` parameters filled in. */
  t(key: MessageKey, params?: MessageParams): string;
  /** The plural form of `family` for `count` (`{count}` is filled in, written the language's way). */
  tn(family: PluralFamily, count: number, params?: MessageParams): string;
  formatNumber(n: number): string;
  /** A day: "5 mars 2026". */
  formatDate(value: string | Date): string;
  /** A day and a time: "5 mars 2026, 11:00". */
  formatDateTime(value: string | Date): string;
  /** How long ago (or how soon), in the largest whole unit: "il y a 3 minutes", "hier". */
  formatRelative(value: string | Date, now?: Date): string;
}

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

export const createTranslator = (lang: Language, catalogue: Catalogue): Translator => {
  const messages = catalogue as Record<string, string | undefined>;
  const numbers = new Intl.NumberFormat(lang);
  const plurals = new Intl.PluralRules(lang);
  const dates = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });
  const dateTimes = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const relative = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });

  const formatNumber = (n: number) => numbers.format(n);
  const interpolate = (message: string, params: MessageParams = {}) =>
    message.replace(/\{(\w+)\}/g, (whole, name: string) => {
      if (!Object.hasOwn(params, name)) return whole;
      const value = params[name];
      return typeof value === 'number' ? formatNumber(value) : value;
    });
  // A key missing at run time (a catalogue older than the code) shows as itself rather than as nothing.
  const message = (key: string) => messages[key] ?? key;

  return {
    t: (key, params) => interpolate(message(key), params),
    tn: (family, count, params) =>
      interpolate(messages[`${family}.${plurals.select(count)}`] ?? message(`${family}.other`), { ...params, count }),
    formatNumber,
    formatDate: (value) => dates.format(new Date(value)),
    formatDateTime: (value) => dateTimes.format(new Date(value)),
    formatRelative: (value, now = new Date()) => {
      const seconds = Math.round((new Date(value).getTime() - now.getTime()) / 1000);
      const [unit, size] = RELATIVE_UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? RELATIVE_UNITS[RELATIVE_UNITS.length - 1];
      return relative.format(Math.round(seconds / size), unit);
    },
  };
};
