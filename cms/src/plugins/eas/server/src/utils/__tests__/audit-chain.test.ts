import { describe, expect, it } from 'vitest';
import { GENESIS, checkRun, entryDocument, entryHash, signEntry, type AuditEntry } from '../audit-chain';
import { generateSigningKey, parsePrivateKey } from '../signing-key';

const key = parsePrivateKey(generateSigningKey());
const trusted = new Map([[key.keyId, key.publicKey]]);

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
    const hash = entryHash(e);
    out.push({ ...e, hash, ...signEntry(hash, key) });
  }
  return out;
};

describe('the audit chain', () => {
  it('hashes the documented canonical text, which covers the previous entry', () => {
    const [first] = chain(1);
    const { hash: _hash, signature: _signature, keyId: _keyId, ...content } = first;
    expect(entryDocument(content)).toBe(
      `{"action":"record.created","actor":{"id":1,"kind":"field-staff","name":"field.demo"},"at":"2026-05-01T09:00:01.000Z","details":{"integrityHash":"${'1'.repeat(64)}"},"kind":"eas-audit","prevHash":"${GENESIS}","recordId":1,"reference":"EAS-2026-000001","seq":1,"v":1}`
    );
  });

  it('finds no break in an untouched chain', () => {
    expect(checkRun(chain(6), null, trusted)).toEqual([]);
    const c = chain(6);
    expect(checkRun(c.slice(3), c[2], trusted)).toEqual([]);
  });

  it('reports an edited entry at its position', () => {
    const c = chain(6);
    c[2] = { ...c[2], details: { integrityHash: 'f'.repeat(64) } };
    expect(checkRun(c, null, trusted)).toEqual([{ seq: 3, problem: 'edited' }]);
  });

  it('reports an entry edited and re-hashed without the key as not written by EAS, and the next one as no longer pointing at it', () => {
    const c = chain(6);
    const { hash: _h, signature: _s, keyId: _k, ...content } = { ...c[2], actorName: 'someone else' };
    c[2] = { ...c[2], actorName: 'someone else', hash: entryHash(content) };
    expect(checkRun(c, null, trusted)).toEqual([
      { seq: 3, problem: 'unsigned' },
      { seq: 4, problem: 'relinked' },
    ]);
  });

  it('reports an entry appended at the head without the key, however well it is chained', () => {
    const c = chain(6);
    const { hash: _h, signature: _s, keyId: _k, ...last } = c[5];
    const forged = { ...last, seq: 7, prevHash: c[5].hash, action: 'record.updated' };
    c.push({ ...forged, hash: entryHash(forged), signature: null, keyId: null });
    expect(checkRun(c, null, trusted)).toEqual([{ seq: 7, problem: 'unsigned' }]);
    // Signed by a key EAS does not trust: the same.
    const other = parsePrivateKey(generateSigningKey());
    c[6] = { ...c[6], ...signEntry(c[6].hash, other) };
    expect(checkRun(c, null, trusted)).toEqual([{ seq: 7, problem: 'unsigned' }]);
  });

  it('reports a deleted entry where the gap is', () => {
    const c = chain(6);
    c.splice(3, 1);
    expect(checkRun(c, null, trusted)).toEqual([{ seq: 5, problem: 'missing' }]);
  });

  it('reports reordered entries', () => {
    const c = chain(6);
    const [a, b] = [c[2], c[3]];
    c[2] = { ...b, seq: 3 };
    c[3] = { ...a, seq: 4 };
    expect(checkRun(c, null, trusted)).toEqual([
      { seq: 3, problem: 'relinked' },
      { seq: 3, problem: 'edited' },
      { seq: 4, problem: 'relinked' },
      { seq: 4, problem: 'edited' },
      { seq: 5, problem: 'relinked' },
    ]);
  });
});
