/**
 * The site's words for modules that also run under Node (queue, sync state, validation messages…): they call t() and
 * tn() from here, which speak through the translator lib/i18n.ts installs once it has loaded the person's language.
 * This module touches no browser API, so unit tests import those modules directly; they install the English
 * catalogue first (site/src/lib/__tests__/english.ts, a Vitest setup file).
 */
import type { MessageKey, MessageParams, PluralFamily } from '../i18n/types';
import type { Translator } from './translate';

let current: Translator | null = null;

/** Speaks in `translator`'s language from now on (lib/i18n.ts calls it before any other script runs). */
export const useTranslator = (translator: Translator): void => {
  current = translator;
};

const active = (): Translator => {
  if (!current) throw new Error('No language loaded yet: lib/i18n.ts installs it (tests: lib/__tests__/english.ts).');
  return current;
};

export const t = (key: MessageKey, params?: MessageParams): string => active().t(key, params);
export const tn = (family: PluralFamily, count: number, params?: MessageParams): string => active().tn(family, count, params);
export const formatDate = (value: string | Date): string => active().formatDate(value);
export const formatDateTime = (value: string | Date): string => active().formatDateTime(value);
export const formatNumber = (n: number): string => active().formatNumber(n);
