/**
 * A record's answers as a description list, the way people read them (shared/display.ts recordLines): group
 * headings, answers, and each entry of a repeat as "Meter 2" with its own answers. The review before sending and the
 * read-only record view both show a record this way.
 */
import type { FormDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { ENGLISH_WORDS, recordLines, type DisplayWords } from '../../../cms/src/plugins/eas/shared/display';
import { formatDay, type DateFormat } from './dates';
import { el } from './dom';
import { formatNumber, t, tn } from './i18n';

/** How values read in the person's language: Yes/No, days and numbers their way, "3 entries". */
export const displayWords = (dates: DateFormat): DisplayWords => ({
  ...ENGLISH_WORDS,
  yes: t('display.yes'),
  no: t('display.no'),
  day: (iso: string) => formatDay(iso, dates),
  number: (n: number) => n.toLocaleString(dates.locale),
  entries: (n: number) => tn('display.entries', n),
});

export const recordListItems = (
  definition: Pick<FormDefinition, 'fields'>,
  data: Record<string, unknown>,
  words: DisplayWords
): HTMLElement[] =>
  recordLines(definition, data, words).flatMap((line): HTMLElement[] => {
    if (line.kind === 'value') return [el('dt', {}, line.field.label), el('dd', {}, line.text)];
    if (line.kind === 'heading') return [el('dt', { className: 'group-heading' }, line.field.label)];
    return line.rows.flatMap((cells, i) => [
      el('dt', {}, t('capture.entryTitle', { label: line.field.label, number: formatNumber(i + 1) })),
      el('dd', {}, el('dl', { className: 'entry' }, ...line.columns.flatMap((c, j) => [el('dt', {}, c.label), el('dd', {}, cells[j])]))),
    ]);
  });
