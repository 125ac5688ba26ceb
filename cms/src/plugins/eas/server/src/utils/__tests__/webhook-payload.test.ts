import { describe, expect, it } from 'vitest';
import { integrityPayload, recordPayload, retryDelayMs, wants, type WebhookRecord } from '../webhook-payload';

const row: WebhookRecord = {
  id: 7,
  documentId: 'abcdefghijklmnopqrstuvwx',
  reference: 'EAS-2026-000007',
  state: 'submitted',
  formSlug: 'inspection',
  formVersion: { slug: 'inspection', version: 3 },
  data: { name: 'Ada' },
  capturedAt: '2026-05-01T09:30:00.000Z',
  submittedAt: new Date('2026-05-01T10:00:00Z'),
  reviewedAt: null,
  createdAt: '2026-05-01T09:31:00.000Z',
  updatedAt: '2026-05-01T10:00:00.000Z',
};
const at = new Date('2026-05-01T10:00:01Z');

describe('webhook payload', () => {
  it('carries ids, reference, form key and version, status and times — and no captured data by default', () => {
    const p = recordPayload('record.submitted', row, { includeData: false, at });
    expect(p).toEqual({
      type: 'record.submitted',
      timestamp: '2026-05-01T10:00:01.000Z',
      data: {
        record: {
          id: 7,
          documentId: 'abcdefghijklmnopqrstuvwx',
          reference: 'EAS-2026-000007',
          form: { key: 'inspection', version: 3 },
          status: 'submitted',
          capturedAt: '2026-05-01T09:30:00.000Z',
          submittedAt: '2026-05-01T10:00:00.000Z',
          reviewedAt: null,
          createdAt: '2026-05-01T09:31:00.000Z',
          updatedAt: '2026-05-01T10:00:00.000Z',
        },
      },
    });
    expect('data' in p.data.record).toBe(false);
  });

  it('includes the captured data only when the endpoint asks for it', () => {
    expect(recordPayload('record.created', row, { includeData: true, at }).data.record.data).toEqual({ name: 'Ada' });
  });

  it('matches endpoints by event, form filter and enabled flag', () => {
    const e = { events: ['record.created'], formSlug: null, enabled: true };
    expect(wants(e, 'record.created', 'inspection')).toBe(true);
    expect(wants(e, 'record.reviewed', 'inspection')).toBe(false);
    expect(wants({ ...e, formSlug: 'other' }, 'record.created', 'inspection')).toBe(false);
    expect(wants({ ...e, formSlug: 'inspection' }, 'record.created', 'inspection')).toBe(true);
    expect(wants({ ...e, enabled: false }, 'record.created', 'inspection')).toBe(false);
  });

  it('backs off exponentially, capped', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 5000, 6 * 3600_000))).toEqual([5000, 10_000, 20_000, 40_000]);
    expect(retryDelayMs(30, 5000, 6 * 3600_000)).toBe(6 * 3600_000);
  });
});

describe('integrity.altered payload', () => {
  const event = {
    altered: 3,
    chainBreaks: 0,
    checkedAt: '2026-12-03T10:00:00.000Z',
    records: [
      { reference: 'EAS-1', documentId: 'a', form: 'visit' },
      { reference: 'EAS-2', documentId: 'b', form: 'audit' },
      { reference: 'EAS-3', documentId: 'c', form: 'visit' },
    ],
  };
  const at = new Date('2026-12-03T10:00:01.000Z');

  it('an endpoint without a form filter hears of every altered record', () => {
    expect(integrityPayload(event, { formSlug: null }, at)).toEqual({
      type: 'integrity.altered',
      timestamp: '2026-12-03T10:00:01.000Z',
      data: {
        integrity: {
          altered: 3,
          chainBreaks: 0,
          checkedAt: '2026-12-03T10:00:00.000Z',
          records: [
            { reference: 'EAS-1', documentId: 'a' },
            { reference: 'EAS-2', documentId: 'b' },
            { reference: 'EAS-3', documentId: 'c' },
          ],
        },
      },
    });
  });

  it("an endpoint of one form hears of its form's records only, and of nothing when none is its and the chain is whole", () => {
    expect(integrityPayload(event, { formSlug: 'audit' }, at)?.data.integrity).toMatchObject({
      altered: 1,
      records: [{ reference: 'EAS-2', documentId: 'b' }],
    });
    expect(integrityPayload(event, { formSlug: 'other' }, at)).toBeNull();
    expect(integrityPayload({ ...event, chainBreaks: 1 }, { formSlug: 'other' }, at)?.data.integrity).toMatchObject({
      altered: 0,
      chainBreaks: 1,
      records: [],
    });
  });
});
