import { describe, expect, it } from 'vitest';
import { loadPeople, notePerson, waitingOnDevice } from '../people';

const memory = () => {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
};

describe('who has records waiting on this phone', () => {
  it("names other people's waiting records, newest first, and never the signed-in person's own", () => {
    const storage = memory();
    notePerson({ userId: 1, username: 'amina', waiting: 2 }, 100, storage);
    notePerson({ userId: 2, username: 'ben', waiting: 1 }, 200, storage);
    notePerson({ userId: 3, username: 'chen', waiting: 0 }, 300, storage);
    expect(waitingOnDevice(null, storage).map((p) => [p.username, p.waiting])).toEqual([
      ['ben', 1],
      ['amina', 2],
    ]);
    expect(waitingOnDevice(2, storage).map((p) => p.username)).toEqual(['amina']);
  });

  it('keeps one entry per person with the latest count', () => {
    const storage = memory();
    notePerson({ userId: 1, username: 'amina', waiting: 2 }, 100, storage);
    notePerson({ userId: 1, username: 'amina', waiting: 0 }, 200, storage);
    expect(loadPeople(storage)).toEqual([{ userId: 1, username: 'amina', waiting: 0, updatedAt: 200 }]);
    expect(waitingOnDevice(null, storage)).toEqual([]);
  });

  it('ignores a damaged directory instead of failing the sign-in page', () => {
    const storage = memory();
    storage.setItem('eas.people', '{not json');
    expect(loadPeople(storage)).toEqual([]);
    storage.setItem('eas.people', JSON.stringify([{ userId: 'x' }, { userId: 4, username: 'dee', waiting: 1, updatedAt: 1 }]));
    expect(loadPeople(storage).map((p) => p.username)).toEqual(['dee']);
  });
});
