/**
 * The bookkeeping of a bulk export that may be interrupted and resumed (services/bulk-export.ts), as pure functions:
 * each record's PDF is stored as its own part, named by its position in the selection, before it counts as done; a
 * resumed try renders only the positions with neither a part nor a failure; the ZIP is assembled from the parts in
 * selection order, so a record appears in it once whatever happened in between.
 */
import type { JobFailure } from '../services/jobs';

export const RESULT_NAME = 'export.zip';

/** Part file of the record at `index` (0-based) of the selection. */
export const partName = (index: number) => `${String(index).padStart(6, '0')}.pdf`;

const PART = /^(\d{6,})\.pdf$/;

/** Positions already stored, from a job folder's file names (other files are ignored). */
export const storedPositions = (names: string[], total: number): Set<number> => {
  const found = new Set<number>();
  for (const name of names) {
    const m = PART.exec(name);
    if (m && Number(m[1]) < total) found.add(Number(m[1]));
  }
  return found;
};

/** Positions still to render: neither stored nor failed, in order. */
export const remainingPositions = (total: number, stored: Set<number>, failed: JobFailure[]): number[] => {
  const failedAt = new Set(failed.map((f) => f.index));
  return Array.from({ length: total }, (_, i) => i).filter((i) => !stored.has(i) && !failedAt.has(i));
};

/** ZIP entry names for the stored parts, in selection order: "<reference>.pdf", "-2", "-3"… for repeats. */
export const entryNames = (parts: { index: number; reference: string }[]): { index: number; name: string }[] => {
  const used = new Set<string>();
  return [...parts]
    .sort((a, b) => a.index - b.index)
    .map(({ index, reference }) => {
      let name = `${reference}.pdf`;
      for (let n = 2; used.has(name); n++) name = `${reference}-${n}.pdf`;
      used.add(name);
      return { index, name };
    });
};

/** errors.txt: one line per record that could not be exported, in selection order. */
export const errorsText = (failed: JobFailure[]) =>
  [...failed]
    .sort((a, b) => a.index - b.index)
    .map((f) => `${f.reference}: ${f.error}`)
    .join('\n');
