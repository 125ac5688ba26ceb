/**
 * XLSForm expressions (ODK's XPath subset) into EAS expressions (docs/expressions.md). Most are the same text —
 * `${field}`, `.`, `and`/`or`, `not()`, `=`, `!=`, `div`, `mod`, selected(), count-selected(), string-length(),
 * regex(), concat(), coalesce(), if(), today(), now(), round(), int(), number(), string(), count(), sum() — after
 * typographic quotes are straightened; `position(..)` is `position()`, `true()`/`false()` are `true`/`false`. What EAS
 * has no equivalent for (pulldata, instance(), jr:choice-name, indexed-repeat, format-date, …) is refused with its name,
 * never translated loosely. The result is compiled with the EAS compiler, so what passes here runs on the phone.
 */
import { ExpressionError } from '../../../../shared/expressions';
import { compileExpression, type CompileOptions } from '../../../../shared/expressions/compile';

const UNSUPPORTED = [
  'pulldata',
  'instance',
  'jr:choice-name',
  'indexed-repeat',
  'format-date',
  'format-date-time',
  'decimal-date-time',
  'decimal-time',
  'date-time',
  'once',
  'uuid',
  'random',
  'selected-at',
  'substr',
  'substring-before',
  'substring-after',
  'translate',
  'contains',
  'starts-with',
  'ends-with',
  'normalize-space',
  'jr:itext',
  'digest',
  'base64-decode',
  'area',
  'max',
  'min',
  'boolean-from-string',
  'checklist',
  'weighted-checklist',
  'last-saved',
  'exp',
  'pow',
  'log',
  'sqrt',
];

export type Translated = { ok: true; expression: string } | { ok: false; reason: string };

export const translateExpression = (source: string, options: CompileOptions = {}): Translated => {
  let s = source
    .replace(/[“”„‟]/g, '"')
    .replace(/[‘’‚‛]/g, "'")
    .replace(/\u00a0/g, ' ')
    .trim();
  const unsupported = UNSUPPORTED.find((fn) => new RegExp(`(^|[^\\w:-])${fn.replace(/[.*+?^${}()|[\]\\:]/g, '\\$&')}\\s*\\(`).test(s));
  if (unsupported) return { ok: false, reason: `${unsupported}() is not supported by EAS` };
  if (/\/\w|\.\.\//.test(s.replace(/'[^']*'|"[^"]*"/g, '')))
    return { ok: false, reason: 'XPath paths (/data/…, ../) are not supported; name fields as ${name}' };
  s = s
    .replace(/\bposition\s*\(\s*\.\.\s*\)/g, 'position()')
    .replace(/\btrue\s*\(\s*\)/g, 'true')
    .replace(/\bfalse\s*\(\s*\)/g, 'false');
  try {
    compileExpression(s, options);
    return { ok: true, expression: s };
  } catch (err) {
    if (err instanceof ExpressionError) return { ok: false, reason: err.message };
    throw err;
  }
};
