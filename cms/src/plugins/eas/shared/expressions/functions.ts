/**
 * The whitelist of functions an expression may call. Each entry states its arity; nothing else can be called.
 * Hyphenated names (`count-selected`) are written with `_` internally (see parse.ts).
 */
import { finite, isBlank, toInstant, toNumber, toText, truthy, type Value } from './values';
import { parseGeopoint } from '../validation/geopoint';

/** Metres between two locations ("lat lon …" texts) on the WGS 84 mean sphere (haversine); empty if either is not one. */
const distance: Fn = ([a, b]) => {
  const p = parseGeopoint(toText(a));
  const q = parseGeopoint(toText(b));
  if (!p || !q) return null;
  const rad = Math.PI / 180;
  const dLat = (q.latitude - p.latitude) * rad;
  const dLon = (q.longitude - p.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(p.latitude * rad) * Math.cos(q.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return finite(Math.round(2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h))) * 10) / 10);
};

export interface EvalContext {
  /** The capture day, YYYY-MM-DD (UTC unless the caller says otherwise). */
  today: string;
  /** The evaluation instant, ISO 8601. */
  now: string;
  /** The number (1, 2, …) of the repeat entry being evaluated; null outside repeats. */
  position?: number | null;
}

type Fn = (args: Value[], ctx: EvalContext) => Value;
interface FunctionSpec {
  min: number;
  max: number;
  fn: Fn;
  /** Argument positions that must be string literals (checked when compiling). */
  literal?: number[];
}

const UNITS: Record<string, number> = { days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000 };

const dateDiff: Fn = ([a, b, unit]) => {
  const ta = toInstant(a);
  const tb = toInstant(b);
  if (ta === null || tb === null) return null;
  return Math.trunc((ta - tb) / UNITS[toText(unit ?? 'days')]);
};

const round: Fn = ([x, digits]) => {
  const n = toNumber(x);
  if (n === null) return null;
  const d = Math.min(Math.max(Math.trunc(toNumber(digits ?? 0) ?? 0), 0), 10);
  const f = 10 ** d;
  return finite((Math.sign(n) * Math.round(Math.abs(n) * f)) / f);
};

export const FUNCTIONS = new Map<string, FunctionSpec>([
  ['if', { min: 3, max: 3, fn: () => null }], // evaluated lazily by the compiler
  ['not', { min: 1, max: 1, fn: ([x]) => !truthy(x) }],
  [
    'selected',
    { min: 2, max: 2, fn: ([list, v]) => (Array.isArray(list) ? list.includes(toText(v)) : !isBlank(list) && toText(list) === toText(v)) },
  ],
  // Over a repeat: `${meters}` is the list of its entries, `${reading}` (a field of the repeat) the list of its values.
  ['count', { min: 1, max: 1, fn: ([list]) => (Array.isArray(list) ? list.length : isBlank(list) ? 0 : 1) }],
  [
    'sum',
    {
      min: 1,
      max: 1,
      fn: ([list]) => {
        const items = Array.isArray(list) ? list : isBlank(list) ? [] : [list];
        let total = 0;
        for (const item of items) total += toNumber(item) ?? 0;
        return finite(total);
      },
    },
  ],
  ['position', { min: 0, max: 0, fn: (_, ctx) => ctx.position ?? null }],
  // distance(${where}, '-1.2921 36.8219'): metres between two locations (e.g. the GPS fix and the site's place).
  ['distance', { min: 2, max: 2, fn: distance }],
  ['count_selected', { min: 1, max: 1, fn: ([list]) => (Array.isArray(list) ? list.length : isBlank(list) ? 0 : 1) }],
  ['string_length', { min: 1, max: 1, fn: ([x]) => [...toText(x)].length }],
  ['regex', { min: 2, max: 2, literal: [1], fn: () => null }], // compiled with its pattern by the compiler
  ['concat', { min: 1, max: 50, fn: (args) => args.map(toText).join('') }],
  ['coalesce', { min: 1, max: 50, fn: (args) => args.find((a) => !isBlank(a)) ?? null }],
  ['today', { min: 0, max: 0, fn: (_, ctx) => ctx.today }],
  ['now', { min: 0, max: 0, fn: (_, ctx) => ctx.now }],
  ['round', { min: 1, max: 2, fn: round }],
  ['date_diff', { min: 2, max: 3, literal: [2], fn: dateDiff }],
  [
    'int',
    {
      min: 1,
      max: 1,
      fn: ([x]) => {
        const n = toNumber(x);
        return n === null ? null : finite(Math.trunc(n));
      },
    },
  ],
  ['number', { min: 1, max: 1, fn: ([x]) => toNumber(x) }],
  ['string', { min: 1, max: 1, fn: ([x]) => toText(x) }],
]);

export const DATE_UNITS = Object.keys(UNITS);
