import { describe, expect, it } from 'vitest';
import type { RecordView } from '../../../../cms/src/plugins/eas/shared/contracts/record';
import type { Draft } from '../draft';
import { buildRows, fixLink, hasContent, matchesFilter, rowLink } from '../record-rows';
import { newSyncItem, type SyncItem } from '../sync-state';

const form = { slug: 'inspection', name: 'Site inspection', version: 1 };
const view = (clientId: string, status: RecordView['status'], at: string, extra: Partial<RecordView & { summary: string | null }> = {}) =>
  ({
    documentId: `doc-${clientId}`,
    reference: `EAS-${clientId}`,
    clientId,
    form,
    status,
    data: { site: `Site ${clientId}` },
    capturedAt: at,
    submittedAt: at,
    reviewedAt: null,
    reviewComment: status === 'rejected' ? 'Photo is blurred' : null,
    location: null,
    createdAt: at,
    updatedAt: at,
    missing: { photos: [], signatures: [], staleSignatures: [] },
    contentHash: '',
    photos: [],
    signatures: [],
    integrityHash: null,
    redactedAt: null,
    ...extra,
  }) as RecordView & { summary?: string | null };

const draft = (clientId: string, data: Draft['data'], updatedAt: number): Draft => ({
  clientId,
  form,
  data,
  capturedAt: new Date(updatedAt).toISOString(),
  photos: {},
  signatures: {},
  updatedAt,
});
const item = (clientId: string, status: SyncItem['status'], at: number): SyncItem => ({ ...newSyncItem({ clientId, form }, at), status });
const summaryOf = (_: unknown, data: Record<string, unknown>) => (typeof data.site === 'string' ? data.site : null);

describe('the records list', () => {
  it('puts rejected records first with the editor comment, then the rest newest first', () => {
    const rows = buildRows({
      server: [
        view('a', 'approved', '2026-12-01T10:00:00Z'),
        view('b', 'rejected', '2026-11-20T10:00:00Z'),
        view('c', 'submitted', '2026-12-01T12:00:00Z'),
      ],
      items: [],
      drafts: [],
      summaryOf,
    });
    expect(rows.map((r) => [r.clientId, r.kind])).toEqual([
      ['b', 'rejected'],
      ['c', 'submitted'],
      ['a', 'approved'],
    ]);
    expect(rows[0]).toMatchObject({ comment: 'Photo is blurred', summary: 'Site b' });
    expect(fixLink(rows[0])).toBe('/capture/?fix=doc-b');
    expect(rowLink(rows[1])).toBe('/record/?id=doc-c');
  });

  it("names each row by the server's summary, and by the form's key field for what is only on the phone", () => {
    const rows = buildRows({
      server: [
        view('a', 'submitted', '2026-12-01T10:00:00Z', { summary: 'Pump house 3' }),
        view('r', 'submitted', '2026-12-01T09:00:00Z', { summary: null }),
      ],
      items: [item('q', 'waiting', Date.UTC(2026, 11, 1, 11))],
      drafts: [draft('q', { site: 'North gate' }, Date.UTC(2026, 11, 1, 11))],
      summaryOf,
    });
    expect(Object.fromEntries(rows.map((r) => [r.clientId, r.summary]))).toEqual({ a: 'Pump house 3', q: 'North gate', r: null });
    expect(rows.find((r) => r.clientId === 'q')!.kind).toBe('waiting');
  });

  it('lists a draft only once something was entered', () => {
    expect(hasContent(draft('e', {}, 1))).toBe(false);
    const rows = buildRows({ server: [], items: [], drafts: [draft('e', {}, 1), draft('f', { site: 'x' }, 2)], summaryOf });
    expect(rows.map((r) => r.clientId)).toEqual(['f']);
  });

  it('shows the phone state of a record still being sent, and the server state once it arrived', () => {
    const rows = buildRows({
      server: [view('s', 'approved', '2026-12-01T10:00:00Z'), view('u', 'draft', '2026-12-01T10:00:00Z')],
      items: [item('s', 'submitted', 1), item('u', 'uploading', 1)],
      drafts: [],
      summaryOf,
    });
    expect(Object.fromEntries(rows.map((r) => [r.clientId, r.status]))).toEqual({ s: 'approved', u: 'uploading' });
  });

  it('filters waiting, drafts, submitted and rejected', () => {
    const rows = buildRows({
      server: [
        view('a', 'approved', '2026-12-01T10:00:00Z'),
        view('b', 'rejected', '2026-12-01T10:00:00Z'),
        view('c', 'submitted', '2026-12-01T10:00:00Z'),
      ],
      items: [item('w', 'queued', 5), item('x', 'failed', 6)],
      drafts: [draft('d', { site: 'y' }, 7)],
      summaryOf,
    });
    const ids = (f: Parameters<typeof matchesFilter>[1]) =>
      rows
        .filter((r) => matchesFilter(r, f))
        .map((r) => r.clientId)
        .sort();
    expect(ids('waiting')).toEqual(['w', 'x']);
    expect(ids('drafts')).toEqual(['d']);
    expect(ids('submitted')).toEqual(['a', 'c']);
    expect(ids('rejected')).toEqual(['b']);
    expect(ids('all')).toHaveLength(6);
  });
});
