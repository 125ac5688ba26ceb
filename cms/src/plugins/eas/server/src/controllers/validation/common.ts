/** Rules used by more than one request schema: written once here. */
import { z } from 'zod';
import { invisibleCharacterMessage } from '../../../../shared/validation/plain-text';

const DAY = 86_400_000;

/**
 * Free text a person typed (signer name, device name, review comment): no invisible control, text-direction or
 * broken characters (see shared/validation/plain-text.ts, the rule the record data follows too).
 */
export const plainText = (schema: z.ZodString = z.string()) =>
  schema.superRefine((value, ctx) => {
    const message = invisibleCharacterMessage(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

/**
 * A moment recorded by the device clock (capturedAt of a record, signedAt of a signature): an ISO 8601 date-time,
 * not before 2000 and not more than a day ahead (clock skew). Earlier or later means a wrong device clock.
 */
export const deviceTime = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-05-01T09:30:00Z' })
  .refine((v) => Date.parse(v) <= Date.now() + DAY, { error: 'is in the future; check the device clock' })
  .refine((v) => Date.parse(v) >= Date.UTC(2000, 0, 1), { error: 'is before 2000; check the device clock' });

/**
 * How deeply record data may nest: data → a field's value → an entry of a list → one more level, so that a value of
 * the wrong shape (a list of lists) still gets the field's own "must be …" message. Field values are at most a list
 * of strings; deeper data is refused here, before anything walks it (hashing, show-if conditions).
 */
export const MAX_VALUE_DEPTH = 2;

/** True when `value` nests deeper than `levels` arrays/objects. Recurses at most `levels` + 1 deep, whatever the input. */
export const nestsDeeperThan = (value: unknown, levels: number): boolean => {
  if (typeof value !== 'object' || value === null) return false;
  if (levels === 0) return true;
  return Object.values(value).some((child) => nestsDeeperThan(child, levels - 1));
};

/** `data` of a record request: an object of field values, none nested deeper than MAX_VALUE_DEPTH. */
export const recordData = z.record(z.string(), z.unknown(), { error: 'must be an object of field values' }).superRefine((data, ctx) => {
  for (const [key, value] of Object.entries(data)) {
    if (nestsDeeperThan(value, MAX_VALUE_DEPTH)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: 'is nested too deeply: a field value is text, a number, true/false or a list of options',
      });
    }
  }
});
