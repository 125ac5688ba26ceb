/**
 * Parsing of EAS expressions with jsep (a maintained, dependency-free expression parser), configured once for our
 * grammar: XLSForm-style `${field}` references, `.` for the field's own value, `and`/`or`/`=`/`div`/`mod`, and
 * hyphenated function names (`count-selected`). The rewriting below keeps every character's position, so jsep's
 * error index is the position in what the author wrote. See docs/expressions.md.
 */
import jsep from 'jsep';

export const MAX_EXPRESSION_LENGTH = 2000;
/** Brackets and calls may nest this deep. */
export const MAX_DEPTH = 32;
/** The parsed tree may be this deep (a sum of 100 fields is a chain of 99 additions). */
export const MAX_TREE_DEPTH = 120;
export const MAX_NODES = 500;

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position: number
  ) {
    super(position >= 0 ? `${message} (at character ${position + 1})` : message);
    this.name = 'ExpressionError';
  }
}

// jsep is configured globally; only this module uses it.
for (const op of ['|', '^', '&', '<<', '>>', '>>>', '===', '!==', '**']) jsep.removeBinaryOp(op);
jsep.removeUnaryOp('~');
jsep.addBinaryOp('or', 1);
jsep.addBinaryOp('and', 2);
jsep.addBinaryOp('=', 6);
jsep.addBinaryOp('div', 10);
jsep.addBinaryOp('mod', 10);
jsep.removeLiteral('this');

/** A field reference `${key}` is rewritten to the identifier ` $$key` (same length); `.` becomes `$`. */
export const FIELD_PREFIX = '$$';
export const CURRENT = '$';
const HYPHENATED = /\b(count|string|date)-(selected|length|diff)\(/y;

const rewrite = (source: string): string => {
  const out: string[] = [];
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
      out.push(source.slice(i, j + 1));
      i = j;
      continue;
    }
    if (c === '$' && source[i + 1] === '{') {
      const end = source.indexOf('}', i);
      const key = end === -1 ? '' : source.slice(i + 2, end);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new ExpressionError('"${" must be followed by a field key and "}"', i);
      out.push(` ${FIELD_PREFIX}${key}`);
      i = end;
      continue;
    }
    if (c === '.' && !/[0-9A-Za-z_$)\]}'"]/.test(source[i - 1] ?? '') && !/[0-9]/.test(source[i + 1] ?? '')) {
      out.push(CURRENT);
      continue;
    }
    if (c === '(' || c === '[') depth++;
    if (c === ')' || c === ']') depth--;
    if (depth > MAX_DEPTH) throw new ExpressionError(`the expression nests deeper than ${MAX_DEPTH} levels`, i);
    HYPHENATED.lastIndex = i;
    const h = /[A-Za-z0-9_]/.test(source[i - 1] ?? '') ? null : HYPHENATED.exec(source);
    if (h) {
      out.push(h[0].replace('-', '_'));
      i += h[0].length - 1;
      continue;
    }
    out.push(c);
  }
  return out.join('');
};

/** Parses an expression into jsep's AST, or throws an ExpressionError with the position. */
export const parseExpression = (source: string): jsep.Expression => {
  if (typeof source !== 'string' || source.trim() === '') throw new ExpressionError('the expression is empty', -1);
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, MAX_EXPRESSION_LENGTH);
  }
  const text = rewrite(source);
  try {
    return jsep(text);
  } catch (err) {
    const e = err as { index?: number; description?: string; message?: string };
    throw new ExpressionError(e.description ?? e.message ?? 'the expression cannot be read', e.index ?? -1);
  }
};
