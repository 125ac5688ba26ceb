import type { MessageKey } from './en';

export type { MessageKey } from './en';

/** The plural categories of Intl.PluralRules (CLDR). */
export type PluralCategory = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';

/** A family of plural messages: `formList.available` for `formList.available.one` / `.other` (tn's key). */
export type PluralFamily = MessageKey extends infer K ? (K extends `${infer F}.other` ? F : never) : never;

type PluralKey = `${PluralFamily}.${PluralCategory}`;

/**
 * What every language's catalogue holds: each message of English that is not a plural form, the `.other` form of
 * every plural family, and any other plural forms its own plural rules need (Arabic: zero, one, two, few, many).
 * Which forms exactly is checked by the completeness test (site/src/i18n/__tests__/catalogues.test.ts), since
 * plural rules are known only at run time.
 */
export type Catalogue = Record<Exclude<MessageKey, PluralKey>, string> &
  Record<`${PluralFamily}.other`, string> &
  Partial<Record<PluralKey, string>>;

/** Parameters of a message: `{name}` is replaced by String(value); numbers are written the language's way. */
export type MessageParams = Record<string, string | number>;
