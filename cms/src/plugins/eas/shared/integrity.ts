/**
 * What EAS hashes, in one place for the server, the admin and the capture site. Pure: each function returns the
 * canonical text to hash (RFC 8785 JSON Canonicalization Scheme, through the `canonicalize` package); the server
 * hashes it with node:crypto, the phone with WebCrypto. Nothing here depends on a locale or on key order.
 *
 * - The **content document** is what a signature endorses: the recorded information and the photos as the phone
 *   sent them (the SHA-256 of each uploaded file), not the signatures. The phone computes it when the person signs;
 *   the server computes it from what it stored and refuses a signature that endorses anything else.
 * - The **integrity document** (v2) is what the record's integrity hash covers, printed on the PDF: the content,
 *   the form version (and the SHA-256 of its frozen definition: labels and consent texts), the owner (id and the
 *   name they had when they captured it), the stored photos (display copies, with the capture metadata printed next
 *   to them) and the signatures (image, signer, role, consent text, time, endorsed content hash, strokes) —
 *   everything the PDF prints about the record.
 */
import canonicalize from 'canonicalize';

/** RFC 8785 canonical JSON: sorted keys (UTF-16 code units), no whitespace, ECMAScript number formatting. */
export const canonical = (value: unknown): string => {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('cannot canonicalise undefined');
  return text;
};

const iso = (v: string | Date | null | undefined) => (v ? new Date(v).toISOString() : null);
const bySide = <T extends { side: string }>(list: T[]) => [...list].sort((a, b) => (a.side < b.side ? -1 : a.side > b.side ? 1 : 0));
const bySlot = <T extends { slot: string }>(list: T[]) => [...list].sort((a, b) => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0));

export interface ContentInput {
  clientId: string;
  form: string;
  formVersion: number;
  data: Record<string, unknown>;
  capturedAt: string | Date;
  location: unknown;
  /** SHA-256 of each photo file as sent by the phone (the server's `receivedSha256`). */
  photos: { side: string; sha256: string }[];
}

/** The text a signature's content hash is the SHA-256 of. */
export const contentDocument = (c: ContentInput): string =>
  canonical({
    v: 1,
    kind: 'eas-content',
    clientId: c.clientId,
    form: c.form,
    formVersion: c.formVersion,
    data: c.data ?? {},
    capturedAt: iso(c.capturedAt),
    location: c.location ?? null,
    photos: bySide(c.photos).map((p) => ({ side: p.side, sha256: p.sha256 })),
  });

export interface IntegritySignature {
  slot: string;
  sha256: string;
  signerName: string | null;
  signedAt: string | Date | null;
  contentHash: string | null;
  strokesSha256: string | null;
  role: string | null;
  consentText: string | null;
}

export interface IntegrityInput {
  reference: string;
  clientId: string;
  form: string;
  formVersion: number;
  /** SHA-256 of the form version's canonical definition. */
  definitionSha256: string;
  owner: number | null;
  /** The owner's name when they captured the record (what the PDF prints as "Captured by"). */
  capturedBy: string | null;
  data: Record<string, unknown>;
  capturedAt: string | Date;
  location: unknown;
  /** Stored display copy, the file as received and the capture metadata (time, device, GPS), per side. */
  photos: { side: string; sha256: string; receivedSha256: string | null; metadata: unknown }[];
  signatures: IntegritySignature[];
}

const signatureFields = (s: IntegritySignature) => ({
  slot: s.slot,
  sha256: s.sha256,
  signerName: s.signerName ?? null,
  signedAt: iso(s.signedAt),
  contentHash: s.contentHash ?? null,
  strokesSha256: s.strokesSha256 ?? null,
  role: s.role ?? null,
  consentText: s.consentText ?? null,
});

/** The text a record's integrity hash (v2) is the SHA-256 of. */
export const integrityDocument = (r: IntegrityInput): string =>
  canonical({
    v: 2,
    kind: 'eas-record',
    reference: r.reference,
    clientId: r.clientId,
    form: r.form,
    formVersion: r.formVersion,
    definitionSha256: r.definitionSha256,
    owner: r.owner ?? null,
    capturedBy: r.capturedBy ?? null,
    data: r.data ?? {},
    capturedAt: iso(r.capturedAt),
    location: r.location ?? null,
    photos: bySide(r.photos).map((p) => ({
      side: p.side,
      sha256: p.sha256,
      receivedSha256: p.receivedSha256 ?? null,
      metadata: p.metadata ?? null,
    })),
    signatures: bySlot(r.signatures).map(signatureFields),
  });

/** The recorded information alone (data, capture time, place): what the audit chain tracks as "data". */
export const dataDocument = (r: Pick<IntegrityInput, 'data' | 'capturedAt' | 'location'>): string =>
  canonical({ data: r.data ?? {}, capturedAt: iso(r.capturedAt), location: r.location ?? null });

/** One signature as the audit chain tracks it (the signer's name only through this hash). */
export const signatureDocument = (s: IntegritySignature): string => canonical(signatureFields(s));
