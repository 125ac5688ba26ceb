import { describe, expect, it } from 'vitest';
import { GENESIS, checkRun, entryDocument, entryHash, type AuditEntry } from '../audit-chain';

const chain = (n: number): AuditEntry[] => {
  const out: AuditEntry[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const e = {
      seq,
      at: new Date(Date.UTC(2026, 4, 1, 9, 0, seq)).toISOString(),
      action: 'record.created',
      actorKind: 'field-staff' as const,
      actorId: 1,
      actorName: 'field.demo',
      recordId: seq,
      reference: `EAS-2026-${String(seq).padStart(6, '0')}`,
      details: { integrityHash: String(seq).repeat(64).slice(0, 64) },
      prevHash: out[seq - 2]?.hash ?? GENESIS,
    };
    out.push({ ...e, hash: entryHash(e) });
  }
  return out;
};

describe('the audit chain', () => {
  it('hashes the documented canonical text, which covers the previous entry', () => {
    const [first] = chain(1);
    expect(entryDocument(first)).toBe(
      `{"action":"record.created","actor":{"id":1,"kind":"field-staff","name":"field.demo"},"at":"2026-05-01T09:00:01.000Z","details":{"integrityHash":"${'1'.repeat(64)}"},"kind":"eas-audit","prevHash":"${GENESIS}","recordId":1,"reference":"EAS-2026-000001","seq":1,"v":1}`
    );
  });

  it('finds no break in an untouched chain', () => {
    expect(checkRun(chain(6), null)).toEqual([]);
    const c = chain(6);
    expect(checkRun(c.slice(3), c[2])).toEqual([]);
  });

  it('reports an edited entry at its position', () => {
    const c = chain(6);
    c[2] = { ...c[2], details: { integrityHash: 'f'.repeat(64) } };
    expect(checkRun(c, null)).toEqual([{ seq: 3, problem: 'edited' }]);
  });

  it('reports an entry edited and re-hashed where the next one no longer points at it', () => {
    const c = chain(6);
    const changed = { ...c[2], actorName: 'someone else' };
    c[2] = { ...changed, hash: entryHash(changed) };
    expect(checkRun(c, null)).toEqual([{ seq: 4, problem: 'relinked' }]);
  });

  it('reports a deleted entry where the gap is', () => {
    const c = chain(6);
    c.splice(3, 1);
    expect(checkRun(c, null)).toEqual([{ seq: 5, problem: 'missing' }]);
  });

  it('reports reordered entries', () => {
    const c = chain(6);
    const [a, b] = [c[2], c[3]];
    c[2] = { ...b, seq: 3 };
    c[3] = { ...a, seq: 4 };
    expect(checkRun(c, null)).toEqual([
      { seq: 3, problem: 'relinked' },
      { seq: 3, problem: 'edited' },
      { seq: 4, problem: 'relinked' },
      { seq: 4, problem: 'edited' },
      { seq: 5, problem: 'relinked' },
    ]);
  });
});
