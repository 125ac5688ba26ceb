/**
 * The value model of EAS expressions. A value is a string, a finite number, a boolean, a list of strings (a
 * multiselect) or null ("empty": a missing, blank, hidden or invalid answer). See docs/expressions.md, "Types".
 */
export type Value = string | number | boolean | string[] | null;

export const isBlank = (v: Value): v is null | '' => v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Empty, '' , false, 0 and [] are false; everything else is true. */
export const truthy = (v: Value): boolean => !(isBlank(v) || v === false || v === 0);

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** Cheap first-character test before the regex: most text is not a number. */
const looksNumeric = (v: string) => {
  const c = v.trimStart().charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
};

/** A number, or null when the value is empty or not a number ("12" → 12, "abc" → null, true → 1). */
export const toNumber = (v: Value): number | null => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && looksNumeric(v) && NUMERIC.test(v.trim())) {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
};

export const toText = (v: Value): string => (v === null ? '' : Array.isArray(v) ? v.join(' ') : String(v));

/** A finite result or null: overflow (1e308 * 10) and division by zero give an empty value, never Infinity/NaN. */
export const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);

/** `=`: numbers compare as numbers when both sides are numeric, otherwise as text (empty equals ''). */
export const equals = (a: Value, b: Value): boolean => {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return toText(a) === toText(b);
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== null && nb !== null && typeof a !== 'boolean' && typeof b !== 'boolean') return na === nb;
  return toText(a) === toText(b);
};

/** `<` and friends: false when either side is empty; numbers as numbers, otherwise text order (ISO dates sort). */
export const compare = (a: Value, b: Value): number | null => {
  if (isBlank(a) || isBlank(b)) return null;
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== null && nb !== null) return na - nb;
  const ta = toText(a);
  const tb = toText(b);
  return ta < tb ? -1 : ta > tb ? 1 : 0;
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** Milliseconds of a date or datetime ("2026-12-02", "2026-12-02T14:30"; no zone = UTC), or null. */
export const toInstant = (v: Value): number | null => {
  if (typeof v !== 'string') return null;
  const m = DATE.exec(v.trim());
  if (!m) return null;
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1, 7);
  const t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  const date = new Date(t);
  if (date.getUTCDate() !== +d || date.getUTCMonth() !== +mo - 1 || +h > 23 || +mi > 59 || +s > 59) return null;
  const zone = m[7];
  if (!zone || zone === 'Z') return t;
  const sign = zone[0] === '-' ? -1 : 1;
  return t - sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
};

/** Own-property check (never reads the prototype chain). */
export const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
