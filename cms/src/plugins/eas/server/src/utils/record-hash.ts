import { createHash } from 'crypto';
import type { CreateRecord } from '../../../shared/contracts/record';
import { canonicalJson } from './form-definition';

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Fingerprint of a submission, to tell an idempotent replay (same clientId, same content) from a conflicting one.
 * Key order and timestamp formatting do not matter.
 */
export const payloadHash = (req: CreateRecord.Request) =>
  sha256(
    canonicalJson({
      form: req.form,
      formVersion: req.formVersion,
      data: req.data,
      capturedAt: new Date(req.capturedAt).toISOString(),
      location: req.location ?? null,
    })
  );

/** Human reference, unique because it is derived from the row id: EAS-2026-000123. */
export const recordReference = (id: number, at: Date) => `EAS-${at.getUTCFullYear()}-${String(id).padStart(6, '0')}`;
