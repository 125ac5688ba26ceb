/**
 * A record as hashes: its integrity hash, its content hash (what signatures endorse) and one hash per part (data,
 * owner, form version, status, each photo, each signature). The audit chain records the parts after every change;
 * the verifier compares the parts of the record as stored now with the last ones the chain recorded, so it can say
 * *what* no longer matches without keeping any captured value in the chain. Pure: no Strapi, no I/O.
 */
import type { FormDefinition } from '../../../shared/contracts/form';
import { canonical, contentDocument, dataDocument, integrityDocument, signatureDocument } from '../../../shared/integrity';
import { sha256 } from './hash';

export interface StateRow {
  reference: string;
  clientId: string;
  state: string;
  data: Record<string, unknown> | null;
  capturedAt: string | Date;
  submittedAt: string | Date | null;
  reviewedAt: string | Date | null;
  reviewComment: string | null;
  location: unknown;
  owner: { id: number } | null;
  /** The owner's username when they captured the record. */
  capturedBy: string | null;
  formVersion: { slug: string; version: number; definition: FormDefinition };
  photos: {
    side: string;
    sha256: string;
    receivedSha256: string | null;
    metadata?: unknown;
    thumbnail?: { sha256: string; redactedAt?: string | null } | null;
    file?: { redactedAt?: string | null } | null;
  }[];
  signatures: {
    slot: string;
    sha256: string;
    signerName: string | null;
    signedAt: string | Date | null;
    contentHash: string | null;
    strokes?: unknown;
    strokesSha256: string | null;
    role?: string | null;
    consentText?: string | null;
    file?: { redactedAt?: string | null } | null;
  }[];
}

/** The parts of a record the chain tracks, each as a hash (the owner as "id:name at capture"). */
export interface RecordParts {
  integrityHash: string;
  /** Reference and device id: what identifies the record. */
  identity: string;
  data: string;
  owner: string | null;
  form: string;
  status: string;
  photos: Record<string, string>;
  signatures: Record<string, string>;
}

const iso = (v: string | Date | null | undefined) => (v ? new Date(v).toISOString() : null);

export const definitionSha256 = (definition: unknown) => sha256(canonical(definition));

export const strokesSha256 = (strokes: unknown) => sha256(canonical(strokes ?? null));

/**
 * A signature as stored now: the strokes' hash recomputed from the stored strokes (the column is what was recorded;
 * after a redaction removed the strokes, the recorded one stands).
 */
const signatureNow = (s: StateRow['signatures'][number]) => ({
  ...s,
  strokesSha256: s.strokes !== null && s.strokes !== undefined ? strokesSha256(s.strokes) : s.strokesSha256,
  role: s.role ?? null,
  consentText: s.consentText ?? null,
});

/** SHA-256 of the content document: what a signature given now would endorse. */
export const contentHashOf = (row: Pick<StateRow, 'clientId' | 'formVersion' | 'data' | 'capturedAt' | 'location' | 'photos'>) =>
  sha256(
    contentDocument({
      clientId: row.clientId,
      form: row.formVersion.slug,
      formVersion: row.formVersion.version,
      data: row.data ?? {},
      capturedAt: row.capturedAt,
      location: row.location ?? null,
      photos: row.photos.map((p) => ({ side: p.side, sha256: p.receivedSha256 ?? '' })),
    })
  );

/** The record's integrity hash (printed on its PDF) as the row stands. */
export const integrityOf = (row: Omit<StateRow, 'state' | 'submittedAt' | 'reviewedAt' | 'reviewComment'>) =>
  sha256(
    integrityDocument({
      reference: row.reference,
      clientId: row.clientId,
      form: row.formVersion.slug,
      formVersion: row.formVersion.version,
      definitionSha256: definitionSha256(row.formVersion.definition),
      owner: row.owner?.id ?? null,
      capturedBy: row.capturedBy ?? null,
      data: row.data ?? {},
      capturedAt: row.capturedAt,
      location: row.location ?? null,
      photos: row.photos.map((p) => ({ side: p.side, sha256: p.sha256, receivedSha256: p.receivedSha256, metadata: p.metadata ?? null })),
      signatures: row.signatures.map(signatureNow),
    })
  );

export const dataPart = (row: Pick<StateRow, 'data' | 'capturedAt' | 'location'>) =>
  sha256(dataDocument({ data: row.data ?? {}, capturedAt: row.capturedAt, location: row.location }));
export const formPart = (row: Pick<StateRow, 'formVersion'>) =>
  `${row.formVersion.slug}@${row.formVersion.version}:${definitionSha256(row.formVersion.definition)}`;
export const statusPart = (row: Pick<StateRow, 'state' | 'submittedAt' | 'reviewedAt' | 'reviewComment'>) =>
  sha256(
    canonical({
      state: row.state,
      submittedAt: iso(row.submittedAt),
      reviewedAt: iso(row.reviewedAt),
      reviewComment: row.reviewComment ?? null,
    })
  );
/** A photo part covers its hashes, its capture metadata and whether its files were redacted. */
export const photoPart = (p: StateRow['photos'][number]) =>
  sha256(
    canonical({
      side: p.side,
      sha256: p.sha256,
      receivedSha256: p.receivedSha256 ?? null,
      thumbnailSha256: p.thumbnail?.sha256 ?? null,
      metadata: p.metadata ?? null,
      redacted: Boolean(p.file?.redactedAt),
    })
  );
export const signaturePart = (s: StateRow['signatures'][number]) =>
  sha256(canonical({ document: signatureDocument(signatureNow(s)), redacted: Boolean(s.file?.redactedAt) }));
export const ownerPart = (row: Pick<StateRow, 'owner' | 'capturedBy'>) => (row.owner ? `${row.owner.id}:${row.capturedBy ?? ''}` : null);
export const identityPart = (row: Pick<StateRow, 'reference' | 'clientId'>) =>
  sha256(canonical({ reference: row.reference, clientId: row.clientId }));

export const partsOf = (row: StateRow): RecordParts => ({
  integrityHash: integrityOf(row),
  identity: identityPart(row),
  data: dataPart(row),
  owner: ownerPart(row),
  form: formPart(row),
  status: statusPart(row),
  photos: Object.fromEntries(row.photos.map((p) => [p.side, photoPart(p)])),
  signatures: Object.fromEntries(row.signatures.map((s) => [s.slot, signaturePart(s)])),
});

/** The parts as an audit entry records them after a change (a subset is enough: only what changed). */
export type PartsDetails = Partial<Omit<RecordParts, 'photos' | 'signatures'>> & {
  integrityHash?: string;
  /** Photo parts by side; null: the photo no longer belongs to the record. */
  photos?: Record<string, string | null>;
  signatures?: Record<string, string | null>;
};

/**
 * Which parts each action may record (anything else in an entry's details is ignored): a view or an export changes
 * nothing, a photo upload only its photo, a redaction what it redacts.
 */
const MAY_CHANGE: Record<string, (keyof PartsDetails)[]> = {
  'record.created': ['integrityHash', 'identity', 'data', 'owner', 'form', 'status'],
  'record.updated': ['integrityHash', 'data'],
  'photo.stored': ['integrityHash', 'photos'],
  'signature.stored': ['integrityHash', 'signatures'],
  'record.submitted': ['integrityHash', 'status'],
  'record.reviewed': ['integrityHash', 'status'],
  'record.redacted': ['data', 'status', 'photos', 'signatures'],
};

/** The actions whose entries can change a record's parts. */
export const PART_ACTIONS = Object.keys(MAY_CHANGE);

/** While the owner may change the content (the record is a draft, or was rejected). */
const EDITABLE = new Set(['draft', 'rejected']);
const CONTENT_ACTIONS = new Set(['record.updated', 'photo.stored', 'signature.stored']);

export interface Expected extends Omit<RecordParts, 'integrityHash'> {
  integrityHash: string | null;
  /** Whether a redaction is in the record's history. */
  redacted: boolean;
  /** An entry that changed content while the record was locked (submitted or approved): not a path EAS takes. */
  illegal: boolean;
}

/**
 * Folds a record's audit entries (oldest first) into the parts the chain expects it to have now, taking from each
 * entry only what its action may change. Null when the chain has no creation entry for it.
 */
export const expectedParts = (entries: { action: string; details: Record<string, unknown> }[]): Expected | null => {
  if (!entries.some((e) => e.action === 'record.created')) return null;
  const parts: Expected = {
    integrityHash: null,
    identity: '',
    data: '',
    owner: null,
    form: '',
    status: '',
    photos: {},
    signatures: {},
    redacted: false,
    illegal: false,
  };
  let state: string | null = null;
  for (const { action, details } of entries) {
    const allowed = MAY_CHANGE[action];
    if (!allowed) continue;
    if (CONTENT_ACTIONS.has(action) && (state === null || !EDITABLE.has(state))) parts.illegal = true;
    if (action === 'record.redacted') parts.redacted = true;
    const d = details as PartsDetails & { to?: string };
    if (typeof d.to === 'string' && (action === 'record.created' || action === 'record.submitted' || action === 'record.reviewed'))
      state = d.to;
    for (const field of allowed) {
      const value = d[field];
      if (value === undefined) continue;
      if (field === 'photos' || field === 'signatures') {
        for (const [name, hash] of Object.entries((value ?? {}) as Record<string, string | null>)) {
          if (hash === null) delete parts[field][name];
          else parts[field][name] = hash;
        }
      } else (parts as unknown as Record<string, unknown>)[field] = value;
    }
  }
  return parts;
};
