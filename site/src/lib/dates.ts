/**
 * Dates as people type and read them in their language: "01/12/2026" in French, "12/1/2026" in US English — entered
 * in the same order and separators as they are shown, and stored as YYYY-MM-DD. The browser's own date input follows
 * the browser's language, not the one chosen on the page, so the capture form uses a text input with this format.
 */
export interface DateFormat {
  /** The locale whose order is used (the browser's own locale when it is of the chosen language). */
  locale: string;
  order: ('day' | 'month' | 'year')[];
  separator: string;
}

/** The browser's locale when it speaks `language` (fr-CA for French on a Canadian phone), else the language. */
export const localeFor = (language: string, browserLanguages: readonly string[] = []): string =>
  browserLanguages.find((l) => l.toLowerCase().split('-')[0] === language) ?? language;

export const dateFormat = (locale: string): DateFormat => {
  const parts = new Intl.DateTimeFormat(locale, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    numberingSystem: 'latn',
  }).formatToParts(new Date(Date.UTC(2026, 10, 22)));
  const order = parts.flatMap((p) => (p.type === 'day' || p.type === 'month' || p.type === 'year' ? [p.type] : []));
  const separator = parts.find((p) => p.type === 'literal')?.value.replace(/[\u200e\u200f\u061c]/g, '') || '/';
  return { locale, order: order.length === 3 ? order : ['year', 'month', 'day'], separator };
};

const pad = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD → the person's format ("" for nothing, the text itself when it is not a stored date). */
export const formatDay = (iso: string | undefined | null, format: DateFormat): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  if (!m) return iso ?? '';
  const by = { year: m[1], month: m[2], day: m[3] };
  return format.order.map((k) => by[k]).join(format.separator);
};

/** Arabic-Indic and Eastern Arabic-Indic digits typed on an Arabic keyboard count as digits. */
const westernDigits = (text: string) => text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));

/**
 * The person's typed date → YYYY-MM-DD, or null when it is not a real day in their format. Any of / . - or spaces
 * separate the parts; a two-digit year is not accepted (it would be a guess).
 */
export const parseDay = (text: string, format: DateFormat): string | null => {
  const t = westernDigits(text).trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return validDay(Number(t.slice(0, 4)), Number(t.slice(5, 7)), Number(t.slice(8, 10)));
  const pieces = t.split(/[\s/.\-\u200f]+/).filter(Boolean);
  if (pieces.length !== 3 || pieces.some((p) => !/^\d+$/.test(p))) return null;
  const by: Record<string, number> = {};
  format.order.forEach((k, i) => (by[k] = Number(pieces[i])));
  if (pieces[format.order.indexOf('year')].length !== 4) return null;
  return validDay(by.year, by.month, by.day);
};

const validDay = (year: number, month: number, day: number): string | null => {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day
    ? `${year}-${pad(month)}-${pad(day)}`
    : null;
};
