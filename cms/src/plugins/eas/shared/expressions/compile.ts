/**
 * Compiles a parsed expression into a closure tree, once; the result is evaluated many times. Only whitelisted node
 * kinds, operators and functions compile: member access (`a.b`, `a['b']`), `this`, arrays, `__proto__`/`constructor`
 * and unknown names are refused here, so nothing reaches an object or prototype at evaluation time.
 */
import type jsep from 'jsep';
import { CURRENT, ExpressionError, FIELD_PREFIX, MAX_NODES, MAX_TREE_DEPTH, parseExpression } from './parse';
import { DATE_UNITS, FUNCTIONS, type EvalContext } from './functions';
import { compare, equals, finite, hasOwn, toNumber, toText, truthy, type Value } from './values';

export interface Scope extends EvalContext {
  /** The value of a field (null when empty, hidden or invalid). */
  field(key: string): Value;
  /** The value `.` stands for (the field a constraint is on). */
  current?: Value;
  /** An attribute of the option a choice filter is looking at (bare names in a choice filter). */
  attribute?(name: string): Value;
}

export interface CompileOptions {
  /** Fields the expression may name; others are refused with the field named. */
  fields?: ReadonlySet<string>;
  /** May `.` be used (constraints)? */
  allowCurrent?: boolean;
  /** Bare names allowed (a choice filter's option attributes). */
  attributes?: ReadonlySet<string>;
}

export interface CompiledExpression {
  source: string;
  /** Field keys the expression reads, in order of first use. */
  references: string[];
  evaluate(scope: Scope): Value;
}

type Node = (s: Scope) => Value;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype', 'this']);
const MAX_PATTERN = 200;
/**
 * A heuristic against catastrophic backtracking: a repeated group that itself repeats or alternates (`(a+)+`,
 * `(a|aa)*`) and backreferences are refused. Values are bounded too (at most 10,000 characters per text field).
 */
const CATASTROPHIC = /\((?:\?:)?(?!\?)(?:[^()\\]|\\.)*[+*}?|](?:[^()\\]|\\.)*\)\s*[+*{]|\\[1-9]|\\k</;

const compilePattern = (pattern: string): RegExp => {
  if (pattern.length > MAX_PATTERN) throw new ExpressionError(`a regex pattern may be at most ${MAX_PATTERN} characters`, -1);
  if (CATASTROPHIC.test(pattern)) throw new ExpressionError('a regex pattern may not repeat a repeated group or use backreferences', -1);
  try {
    return new RegExp(pattern, 'u');
  } catch {
    throw new ExpressionError(`the regex pattern "${pattern}" is not valid`, -1);
  }
};

const BINARY: Record<string, (a: Value, b: Value) => Value> = {
  '=': (a, b) => equals(a, b),
  '==': (a, b) => equals(a, b),
  '!=': (a, b) => !equals(a, b),
  '<': (a, b) => {
    const c = compare(a, b);
    return c !== null && c < 0;
  },
  '<=': (a, b) => {
    const c = compare(a, b);
    return c !== null && c <= 0;
  },
  '>': (a, b) => {
    const c = compare(a, b);
    return c !== null && c > 0;
  },
  '>=': (a, b) => {
    const c = compare(a, b);
    return c !== null && c >= 0;
  },
  '+': (a, b) => arith(a, b, (x, y) => x + y),
  '-': (a, b) => arith(a, b, (x, y) => x - y),
  '*': (a, b) => arith(a, b, (x, y) => x * y),
  '/': (a, b) => arith(a, b, (x, y) => x / y),
  div: (a, b) => arith(a, b, (x, y) => x / y),
  '%': (a, b) => arith(a, b, (x, y) => x % y),
  mod: (a, b) => arith(a, b, (x, y) => x % y),
};
const arith = (a: Value, b: Value, op: (x: number, y: number) => number): Value => {
  const x = toNumber(a);
  const y = toNumber(b);
  return x === null || y === null ? null : finite(op(x, y));
};

export const compileExpression = (source: string, options: CompileOptions = {}): CompiledExpression => {
  const ast = parseExpression(source);
  const references: string[] = [];
  let nodes = 0;

  const build = (n: jsep.Expression, depth: number): Node => {
    if (++nodes > MAX_NODES) throw new ExpressionError(`the expression has more than ${MAX_NODES} parts`, -1);
    if (depth > MAX_TREE_DEPTH) throw new ExpressionError(`the expression nests deeper than ${MAX_TREE_DEPTH} levels`, -1);
    switch (n.type) {
      case 'Literal': {
        const v = (n as jsep.Literal).value;
        if (typeof v === 'number' && !Number.isFinite(v))
          throw new ExpressionError(`the number ${(n as jsep.Literal).raw} is too large`, -1);
        if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
          throw new ExpressionError('unsupported literal', -1);
        return () => v as Value;
      }
      case 'Identifier':
        return identifier((n as jsep.Identifier).name);
      case 'UnaryExpression': {
        const u = n as jsep.UnaryExpression;
        const arg = build(u.argument, depth + 1);
        if (u.operator === '!') return (s) => !truthy(arg(s));
        if (u.operator === '-')
          return (s) => {
            const x = toNumber(arg(s));
            return x === null ? null : -x;
          };
        if (u.operator === '+') return (s) => toNumber(arg(s));
        throw new ExpressionError(`the operator "${u.operator}" is not allowed`, -1);
      }
      case 'BinaryExpression': {
        const b = n as jsep.BinaryExpression;
        const left = build(b.left, depth + 1);
        const right = build(b.right, depth + 1);
        if (b.operator === 'and' || b.operator === '&&') return (s) => truthy(left(s)) && truthy(right(s));
        if (b.operator === 'or' || b.operator === '||') return (s) => truthy(left(s)) || truthy(right(s));
        const op = hasOwn(BINARY, b.operator) ? BINARY[b.operator] : undefined;
        if (!op) throw new ExpressionError(`the operator "${b.operator}" is not allowed`, -1);
        return (s) => op(left(s), right(s));
      }
      case 'ConditionalExpression': {
        const c = n as jsep.ConditionalExpression;
        const [t, a, b] = [build(c.test, depth + 1), build(c.consequent, depth + 1), build(c.alternate, depth + 1)];
        return (s) => (truthy(t(s)) ? a(s) : b(s));
      }
      case 'CallExpression':
        return call(n as jsep.CallExpression, depth);
      case 'MemberExpression':
        throw new ExpressionError('property access (a.b or a[b]) is not allowed; name a field as ${key}', -1);
      case 'ThisExpression':
        throw new ExpressionError('"this" is not allowed', -1);
      case 'Compound':
        throw new ExpressionError('one expression only (is an operator missing?)', -1);
      default:
        throw new ExpressionError(`${n.type === 'ArrayExpression' ? 'lists ([…])' : n.type} are not allowed`, -1);
    }
  };

  const identifier = (name: string): Node => {
    if (name === CURRENT) {
      if (!options.allowCurrent) throw new ExpressionError('"." (this field\'s value) may only be used in a constraint', -1);
      return (s) => s.current ?? null;
    }
    if (name.startsWith(FIELD_PREFIX)) {
      const key = name.slice(FIELD_PREFIX.length);
      if (FORBIDDEN.has(key)) throw new ExpressionError(`"${key}" is not allowed`, -1);
      if (options.fields && !options.fields.has(key)) throw new ExpressionError(`\${${key}} is not a field above this one`, -1);
      if (!references.includes(key)) references.push(key);
      return (s) => s.field(key);
    }
    if (FORBIDDEN.has(name)) throw new ExpressionError(`"${name}" is not allowed`, -1);
    if (options.attributes?.has(name)) return (s) => s.attribute?.(name) ?? null;
    throw new ExpressionError(
      options.attributes
        ? `"${name}" is not an attribute of the options; name a field as \${${name}}`
        : `unknown name "${name}"; name a field as \${${name}}`,
      -1
    );
  };

  const call = (c: jsep.CallExpression, depth: number): Node => {
    const name = c.callee.type === 'Identifier' ? (c.callee as jsep.Identifier).name : '';
    const spec = FUNCTIONS.get(name);
    if (!spec) throw new ExpressionError(name ? `unknown function "${name.replace('_', '-')}"` : 'only named functions can be called', -1);
    const shown = name.replace('_', '-');
    if (c.arguments.length < spec.min || c.arguments.length > spec.max) {
      const want = spec.min === spec.max ? `${spec.min}` : `${spec.min} to ${spec.max}`;
      throw new ExpressionError(`${shown}() takes ${want} argument${spec.max === 1 ? '' : 's'}, not ${c.arguments.length}`, -1);
    }
    for (const i of spec.literal ?? []) {
      const a = c.arguments[i];
      if (a && !(a.type === 'Literal' && typeof (a as jsep.Literal).value === 'string')) {
        throw new ExpressionError(`argument ${i + 1} of ${shown}() must be a quoted text`, -1);
      }
    }
    const args = c.arguments.map((a) => build(a, depth + 1));
    if (name === 'if') {
      const [t, a, b] = args;
      return (s) => (truthy(t(s)) ? a(s) : b(s));
    }
    if (name === 'regex') {
      const re = compilePattern((c.arguments[1] as jsep.Literal).value as string);
      return (s) => re.test(toText(args[0](s)));
    }
    if (name === 'date_diff' && c.arguments[2]) {
      const unit = (c.arguments[2] as jsep.Literal).value as string;
      if (!DATE_UNITS.includes(unit)) throw new ExpressionError(`date-diff() unit must be one of ${DATE_UNITS.join(', ')}`, -1);
    }
    const fn = spec.fn;
    return (s) =>
      fn(
        args.map((a) => a(s)),
        s
      );
  };

  const root = build(ast, 0);
  return { source, references, evaluate: root };
};

/** The message of a compile error, or null when the expression compiles. */
export const expressionProblem = (source: string, options?: CompileOptions): string | null => {
  try {
    compileExpression(source, options);
    return null;
  } catch (err) {
    if (err instanceof ExpressionError) return err.message;
    throw err;
  }
};

export { toText };
