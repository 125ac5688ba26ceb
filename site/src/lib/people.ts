/**
 * Who keeps records on this device, and how many of them wait to be sent: the sign-in page names them ("3 records
 * of amina wait to be sent — sign in as amina to send them") without opening anyone's storage. Only a name and a
 * count are kept here; the records themselves stay in each person's own database (lib/store.ts).
 */
export interface DevicePerson {
  userId: number;
  username: string;
  /** Records not yet on the server (queued, waiting, paused or needing the person). */
  waiting: number;
  updatedAt: number;
}

export const PEOPLE_KEY = 'eas.people';

type Storage_ = Pick<Storage, 'getItem' | 'setItem'>;

export const loadPeople = (storage: Pick<Storage, 'getItem'> = localStorage): DevicePerson[] => {
  try {
    const parsed = JSON.parse(storage.getItem(PEOPLE_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed)
      ? parsed.filter(
          (p): p is DevicePerson =>
            typeof p?.userId === 'number' &&
            typeof p.username === 'string' &&
            typeof p.waiting === 'number' &&
            typeof p.updatedAt === 'number'
        )
      : [];
  } catch {
    return [];
  }
};

/** Records how many records of this person wait on the device (called whenever the person's queue is counted). */
export const notePerson = (person: Omit<DevicePerson, 'updatedAt'>, now = Date.now(), storage: Storage_ = localStorage) => {
  const others = loadPeople(storage).filter((p) => p.userId !== person.userId);
  storage.setItem(PEOPLE_KEY, JSON.stringify([...others, { ...person, updatedAt: now }]));
};

/** People other than `userId` (null: anyone) whose records wait on this device, most recent first. */
export const waitingOnDevice = (userId: number | null, storage: Pick<Storage, 'getItem'> = localStorage): DevicePerson[] =>
  loadPeople(storage)
    .filter((p) => p.waiting > 0 && p.userId !== userId)
    .sort((a, b) => b.updatedAt - a.updatedAt);
