/**
 * The record's integrity hash: SHA-256 (hex) over a canonical JSON document (keys sorted, no whitespace):
 *
 *   { "v": 1, "reference", "form", "formVersion", "data", "capturedAt" (ISO 8601 UTC), "location" (or null),
 *     "photos": [{ "side", "sha256" }] sorted by side,
 *     "signatures": [{ "slot", "sha256", "signerName", "signedAt" }] sorted by slot }
 *
 * where each sha256 is that of the stored file (display copy for photos, trimmed PNG for signatures). Anyone with
 * the record's content and files can recompute it; the PDF prints it and its QR code points at /api/eas/verify.
 */
import { createHash } from 'crypto';
import { canonicalJson } from './form-definition';

export interface IntegrityInput {
  reference: string;
  form: string;
  formVersion: number;
  data: Record<string, unknown>;
  capturedAt: string | Date;
  location: unknown;
  photos: { side: string; sha256: string }[];
  signatures: { slot: string; sha256: string; signerName: string | null; signedAt: string | Date | null }[];
}

const iso = (v: string | Date | null) => (v ? new Date(v).toISOString() : null);

export const integrityDocument = (r: IntegrityInput) =>
  canonicalJson({
    v: 1,
    reference: r.reference,
    form: r.form,
    formVersion: r.formVersion,
    data: r.data ?? {},
    capturedAt: iso(r.capturedAt),
    location: r.location ?? null,
    photos: [...r.photos].map((p) => ({ side: p.side, sha256: p.sha256 })).sort((a, b) => a.side.localeCompare(b.side)),
    signatures: [...r.signatures]
      .map((s) => ({ slot: s.slot, sha256: s.sha256, signerName: s.signerName ?? null, signedAt: iso(s.signedAt) }))
      .sort((a, b) => a.slot.localeCompare(b.slot)),
  });

export const integrityHash = (r: IntegrityInput) => createHash('sha256').update(integrityDocument(r)).digest('hex');
