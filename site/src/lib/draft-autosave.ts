/**
 * The draft being captured, saved on the device on every change, one change after the other: each change is applied
 * at once to the copy the page works with, and written in its own transaction (store.updateDraft) after the ones
 * before it. A draft the device no longer has (never saved, or removed) is written whole instead.
 */
import type { Draft } from './draft';
import type { EasStore } from './store';

export class DraftAutosave {
  #store: Pick<EasStore, 'updateDraft' | 'saveDraft'>;
  #draft: Draft;
  #saving: Promise<unknown> = Promise.resolve();

  constructor(store: Pick<EasStore, 'updateDraft' | 'saveDraft'>, draft: Draft) {
    this.#store = store;
    this.#draft = draft;
  }

  /** The draft with every change so far (whether or not it is on the device yet). */
  get draft(): Draft {
    return this.#draft;
  }

  update(change: (d: Draft) => Draft) {
    this.#draft = change(this.#draft);
    this.#saving = this.#saving
      .then(() => this.#store.updateDraft(this.#draft.clientId, change))
      .catch(() => this.#store.saveDraft(this.#draft));
  }

  /** Settles once every change so far is on the device (rejects when the device could not keep it). */
  saved(): Promise<unknown> {
    return this.#saving;
  }
}
