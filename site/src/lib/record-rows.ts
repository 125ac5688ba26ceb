/**
 * The rows of the person's records list: what the server has (GET /api/eas/records) merged with what is still on
 * the device, each with the words that say what the record is (the form's key field), a status a person reads at a
 * glance, and where tapping it leads. Pure, so the merge rules are tested without a browser.
 */
import type { RecordView } from '../../../cms/src/plugins/eas/shared/contracts/record';
import type { Draft } from './draft';
import type { SyncItem, SyncStatus } from './sync-state';

/** What the person sees: on the phone only (draft, waiting, sending, needs them) or on the server. */
export type RowKind = 'draft' | 'waiting' | 'sending' | 'attention' | 'submitted' | 'approved' | 'rejected';
export const ROW_FILTERS = ['all', 'waiting', 'drafts', 'submitted', 'rejected'] as const;
export type RowFilter = (typeof ROW_FILTERS)[number];

export interface RecordRow {
  clientId: string;
  documentId: string | null;
  form: { slug: string; name: string; version: number };
  /** The form's key field for this record (e.g. the site name); null when empty or redacted. */
  summary: string | null;
  reference: string | null;
  kind: RowKind;
  /** The detailed device status (for its words), or the server's. */
  status: SyncStatus;
  at: number;
  /** The editor's comment on a rejected record. */
  comment: string | null;
  /** Why a record on the phone needs the person. */
  error: string | null;
}

const KIND_OF: Record<SyncStatus, RowKind> = {
  draft: 'draft',
  queued: 'waiting',
  waiting: 'waiting',
  creating: 'sending',
  uploading: 'sending',
  submitting: 'sending',
  failed: 'attention',
  incomplete: 'attention',
  submitted: 'submitted',
  approved: 'approved',
  rejected: 'rejected',
};
export const kindOf = (status: SyncStatus): RowKind => KIND_OF[status];

const SERVER_KNOWS_BEST = new Set<SyncStatus>(['submitted', 'approved', 'rejected']);

/** Something was entered: a draft with nothing in it is not a record yet (and is not listed). */
export const hasContent = (draft: Pick<Draft, 'data' | 'photos' | 'signatures'>): boolean =>
  Object.keys(draft.data).length > 0 || Object.values(draft.photos).some(Boolean) || Object.keys(draft.signatures).length > 0;

export interface RowSources {
  server: (RecordView & { summary?: string | null })[];
  items: SyncItem[];
  drafts: Draft[];
  /** The key field's words for data of a form version kept on the device (null when unknown). */
  summaryOf: (form: Draft['form'], data: Record<string, unknown>) => string | null;
}

/** Rank in the list: what needs the person first (rejected, then refused on the phone), then newest first. */
const RANK: Record<RowKind, number> = { rejected: 0, attention: 1, draft: 2, waiting: 2, sending: 2, submitted: 2, approved: 2 };

export const buildRows = ({ server, items, drafts, summaryOf }: RowSources): RecordRow[] => {
  const rows = new Map<string, RecordRow>();
  const draftOf = new Map(drafts.map((d) => [d.clientId, d]));
  for (const r of server) {
    rows.set(r.clientId, {
      clientId: r.clientId,
      documentId: r.documentId,
      form: r.form,
      summary: r.summary !== undefined ? r.summary : summaryOf(r.form, r.data),
      reference: r.reference,
      kind: kindOf(r.status),
      status: r.status,
      at: Date.parse(r.submittedAt ?? r.createdAt),
      comment: r.status === 'rejected' ? r.reviewComment : null,
      error: null,
    });
  }
  for (const i of items) {
    const known = rows.get(i.clientId);
    // The server knows best once a record reached it; the device knows best while it is still being sent (or fixed).
    if (known && SERVER_KNOWS_BEST.has(i.status)) continue;
    const draft = draftOf.get(i.clientId);
    rows.set(i.clientId, {
      clientId: i.clientId,
      documentId: i.documentId,
      form: i.form,
      summary: draft ? summaryOf(i.form, draft.data) : (known?.summary ?? null),
      reference: i.reference,
      kind: kindOf(i.status),
      status: i.status,
      at: known?.at ?? i.createdAt,
      comment: known?.comment ?? null,
      error: i.status === 'failed' || i.status === 'incomplete' ? (i.lastError?.message ?? null) : null,
    });
  }
  for (const d of drafts) {
    if (rows.has(d.clientId) || !hasContent(d)) continue;
    rows.set(d.clientId, {
      clientId: d.clientId,
      documentId: null,
      form: d.form,
      summary: summaryOf(d.form, d.data),
      reference: null,
      kind: 'draft',
      status: 'draft',
      at: d.updatedAt,
      comment: null,
      error: null,
    });
  }
  return [...rows.values()].sort((a, b) => RANK[a.kind] - RANK[b.kind] || b.at - a.at);
};

export const matchesFilter = (row: RecordRow, filter: RowFilter): boolean => {
  switch (filter) {
    case 'all':
      return true;
    case 'waiting':
      return row.kind === 'waiting' || row.kind === 'sending' || row.kind === 'attention';
    case 'drafts':
      return row.kind === 'draft';
    case 'submitted':
      return row.kind === 'submitted' || row.kind === 'approved';
    case 'rejected':
      return row.kind === 'rejected';
  }
};

/** Where tapping a row leads: the capture page for what is on the phone, the record's page for what was sent. */
export const rowLink = (row: RecordRow): string => {
  if (row.kind === 'rejected' && row.documentId) return `/record/?id=${encodeURIComponent(row.documentId)}`;
  if ((row.kind === 'submitted' || row.kind === 'approved') && row.documentId) return `/record/?id=${encodeURIComponent(row.documentId)}`;
  return `/capture/?form=${encodeURIComponent(row.form.slug)}&draft=${encodeURIComponent(row.clientId)}`;
};

/** The fix-and-resend page of a rejected record. */
export const fixLink = (row: Pick<RecordRow, 'documentId'>): string | null =>
  row.documentId ? `/capture/?fix=${encodeURIComponent(row.documentId)}` : null;
