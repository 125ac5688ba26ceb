import { describe, expect, it } from 'vitest';
import { compileExpression, ExpressionError, MAX_DEPTH, MAX_EXPRESSION_LENGTH, type Value } from '..';

const values: Record<string, Value> = {
  a: 3,
  b: '4',
  name: 'Ana',
  m: ['x', 'y'],
  empty: null,
  d1: '2026-12-10',
  d2: '2026-12-02',
  t: '2026-12-02T10:30',
};
const scope = (current: Value = null) => ({
  today: '2026-12-02',
  now: '2026-12-02T09:00:00.000Z',
  current,
  field: (k: string) => (Object.prototype.hasOwnProperty.call(values, k) ? values[k] : null),
});
const run = (src: string, current: Value = null) => compileExpression(src, { allowCurrent: true }).evaluate(scope(current));
const refused = (src: string, opts = {}) => {
  try {
    compileExpression(src, { allowCurrent: true, ...opts });
  } catch (err) {
    expect(err).toBeInstanceOf(ExpressionError);
    return (err as Error).message;
  }
  throw new Error(`"${src}" compiled but should be refused`);
};

describe('expression language: operators', () => {
  it.each([
    ['${a} + ${b}', 7],
    ['${a} - 1', 2],
    ['${a} * 2', 6],
    ['${a} / 2', 1.5],
    ['${a} div 2', 1.5],
    ['${a} mod 2', 1],
    ['${a} % 2', 1],
    ['-${a}', -3],
    ['(1 + 2) * 3', 9],
    ['${a} = 3', true],
    ["${b} = '4'", true],
    ['${b} = 4', true],
    ['${a} != 3', false],
    ['${a} > 2 and ${b} < 5', true],
    ['${a} > 5 or ${b} < 5', true],
    ['${a} > 5 && true', false],
    ['!(${a} = 3)', false],
    ['${d1} > ${d2}', true],
    ['${a} > 2 ? "big" : "small"', 'big'],
  ] as const)('%s → %j', (src, expected) => expect(run(src)).toEqual(expected));

  it('treats empty as empty: arithmetic on it is empty, comparisons with it are false, it equals ""', () => {
    expect(run('${empty} + 1')).toBeNull();
    expect(run('${empty} > 0')).toBe(false);
    expect(run('${empty} < 0')).toBe(false);
    expect(run("${empty} = ''")).toBe(true);
    expect(run('${name} * 2')).toBeNull(); // text is not a number
  });

  it('gives an empty value, never Infinity or NaN, for division by zero and overflow', () => {
    expect(run('1 / 0')).toBeNull();
    expect(run('1e308 * 10')).toBeNull();
    expect(run('0 / 0')).toBeNull();
  });
});

describe('expression language: functions', () => {
  it.each([
    ['if(${a} > 2, "yes", "no")', 'yes'],
    ['if(${a} > 5, "yes", "no")', 'no'],
    ["selected(${m}, 'x')", true],
    ["selected(${m}, 'z')", false],
    ["selected(${name}, 'Ana')", true],
    ['count-selected(${m})', 2],
    ['count_selected(${empty})', 0],
    ['string-length(${name})', 3],
    ["string-length('héllo👍')", 6],
    ["regex(${b}, '^[0-9]+$')", true],
    ["regex(${name}, '^[0-9]+$')", false],
    ["concat(${name}, ' ', ${a})", 'Ana 3'],
    ["concat(${empty}, 'x')", 'x'],
    ["coalesce(${empty}, '', ${name})", 'Ana'],
    ['coalesce(${empty})', null],
    ['today()', '2026-12-02'],
    ['now()', '2026-12-02T09:00:00.000Z'],
    ['round(2.345, 2)', 2.35],
    ['round(-2.5)', -3],
    ['round(${name})', null],
    ["date-diff(${d1}, ${d2}, 'days')", 8],
    ['date-diff(${d1}, ${d2})', 8],
    ["date-diff(${t}, today(), 'hours')", 10],
    ["date-diff(${t}, today(), 'minutes')", 630],
    ["date-diff('2026-02-30', today(), 'days')", null],
    ['int(3.9)', 3],
    ['int(-3.9)', -3],
    ["number('12.5')", 12.5],
    ["number('abc')", null],
    ['string(12)', '12'],
    ['string(${m})', 'x y'],
    ['not(${a} = 3)', false],
  ] as const)('%s → %j', (src, expected) => expect(run(src)).toEqual(expected));

  it('uses "." for the value a constraint checks', () => {
    expect(run('. >= 0 and . <= 10', 5)).toBe(true);
    expect(run('. >= 0 and . <= 10', 11)).toBe(false);
    expect(refused('. > 1', { allowCurrent: false })).toMatch(/only be used in a constraint/);
  });

  it('refuses unknown functions and wrong argument counts, naming them', () => {
    expect(refused('eval("1")')).toMatch(/unknown function "eval"/);
    expect(refused('if(1, 2)')).toMatch(/if\(\) takes 3 arguments, not 2/);
    expect(refused('today(1)')).toMatch(/today\(\) takes 0 arguments/);
    expect(refused('regex(${b}, ${name})')).toMatch(/argument 2 of regex\(\) must be a quoted text/);
    expect(refused("date-diff(${d1}, ${d2}, 'weeks')")).toMatch(/unit must be one of days, hours, minutes, seconds/);
  });

  it('refuses a field that is not allowed, naming it', () => {
    expect(refused('${later} + 1', { fields: new Set(['a']) })).toMatch(/\$\{later\} is not a field above this one/);
    expect(refused('plain + 1')).toMatch(/unknown name "plain"; name a field as \$\{plain\}/);
    expect(compileExpression('${a} + ${b} + ${a}').references).toEqual(['a', 'b']);
  });
});

describe('expression language: errors and hostile input', () => {
  it('reports syntax errors with their position', () => {
    expect(refused('${a} +')).toMatch(/at character \d+/);
    expect(refused('(1 + 2')).toMatch(/at character 7/);
    expect(refused('${a')).toMatch(/"\$\{" must be followed by a field key.*at character 1/);
    expect(refused('')).toMatch(/empty/);
    expect(refused('1 2')).toMatch(/one expression only|at character/);
  });

  it('refuses prototype and object access at compile time', () => {
    expect(refused('${__proto__}')).toMatch(/"__proto__" is not allowed/);
    expect(refused('${constructor}')).toMatch(/"constructor" is not allowed/);
    expect(refused('constructor')).toMatch(/"constructor" is not allowed/);
    expect(refused('__proto__')).toMatch(/"__proto__" is not allowed/);
    expect(refused('this')).toMatch(/not allowed/);
    expect(refused('${a}.constructor')).toMatch(/property access/);
    expect(refused("${a}['constructor']")).toMatch(/property access/);
    expect(refused('concat.call(1)')).toMatch(/property access|only named functions/);
    expect(refused('[1, 2]')).toMatch(/lists/);
    expect(refused('toString()')).toMatch(/unknown function "toString"/);
    expect(refused('hasOwnProperty(1)')).toMatch(/unknown function/);
    expect(refused('${a} | 1')).toMatch(/at character|not allowed/);
  });

  it('refuses numbers that do not fit (1e400)', () => {
    expect(refused('1e400')).toMatch(/the number 1e400 is too large/);
    expect(run('1e300')).toBe(1e300);
  });

  it('refuses deep nesting, long sources and too many parts before evaluating', () => {
    expect(refused('('.repeat(MAX_DEPTH + 1) + '1' + ')'.repeat(MAX_DEPTH + 1))).toMatch(/nests deeper than 32/);
    expect(refused('('.repeat(5000) + '1' + ')'.repeat(5000))).toMatch(/longer than 2000|nests deeper/);
    expect(refused('-'.repeat(200) + '1')).toMatch(/nests deeper than 120/);
    // A long sum of fields is a realistic calculation and stays allowed.
    expect(run(Array.from({ length: 60 }, () => '${a}').join(' + '))).toBe(180);
    expect(refused(`'${'x'.repeat(MAX_EXPRESSION_LENGTH)}'`)).toMatch(/longer than 2000 characters/);
    const wide = `concat(${Array.from({ length: 40 }, () => `concat(${Array(20).fill(1).join(',')})`).join(',')})`;
    expect(wide.length).toBeLessThan(MAX_EXPRESSION_LENGTH);
    expect(refused(wide)).toMatch(/more than 500 parts/);
  });

  it('refuses regex patterns that can backtrack catastrophically, or are too long or invalid', () => {
    expect(refused("regex(${name}, '(a+)+$')")).toMatch(/may not repeat a repeated group/);
    expect(refused("regex(${name}, '(a|aa)*b')")).toMatch(/may not repeat a repeated group/);
    expect(refused("regex(${name}, '(x)\\\\1')")).toMatch(/backreferences/);
    expect(refused(`regex(\${name}, '${'a'.repeat(201)}')`)).toMatch(/at most 200 characters/);
    expect(refused("regex(${name}, '[')")).toMatch(/is not valid/);
    expect(run("regex(${name}, '^(?:An)+a$')")).toBe(true); // a plain repeated group is fine
  });

  it('evaluates a safe regex over a very long value quickly and correctly (u flag: code points)', () => {
    values.long = 'a'.repeat(100_000) + '!';
    expect(run("regex(${long}, '^a+$')")).toBe(false);
    expect(run("regex('👍', '^.$')")).toBe(true);
  });

  it('compiles once and evaluates many times with different values', () => {
    const e = compileExpression('${x} * 2');
    expect([1, 2, 3].map((x) => e.evaluate({ ...scope(), field: () => x }))).toEqual([2, 4, 6]);
  });
});
