import type { CreateRecord } from '../../../shared/contracts/record';
import { canonical } from '../../../shared/integrity';
import { sha256 } from './hash';

/**
 * Fingerprint of a submission, to tell an idempotent replay (same clientId, same content) from a conflicting one.
 * Key order and timestamp formatting do not matter.
 */
export const payloadHash = (req: CreateRecord.Request) =>
  sha256(
    canonical({
      form: req.form,
      formVersion: req.formVersion,
      data: req.data,
      capturedAt: new Date(req.capturedAt).toISOString(),
      location: req.location ?? null,
    })
  );

/** Human reference, unique because it is derived from the row id: EAS-2026-000123. */
export const recordReference = (id: number, at: Date) => `EAS-${at.getUTCFullYear()}-${String(id).padStart(6, '0')}`;
