/**
 * The signature slots of a capture (signature-slot.ts): drawn from the draft, each signature kept with the content
 * it endorses (lib/content-hash.ts), and checked before review — a signature given before the data or a photo
 * changed is asked for again, and while a rejected record is fixed the server's signatures count as long as they
 * endorse its content. The capture element and the form preview check them the same way.
 */
import type { FormDefinition, SignatureSlotDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { draftContentHash } from '../lib/content-hash';
import type { Draft, DraftSignature } from '../lib/draft';
import type { DraftAutosave } from '../lib/draft-autosave';
import { t } from '../lib/i18n';
import type { SignatureSlot } from './signature-slot';

/** A new signature slot element for `slot`, with the signature the draft keeps for it (if any). */
export const signatureSlotNode = (slot: SignatureSlotDefinition, signature: DraftSignature | null = null): SignatureSlot => {
  const node = document.createElement('eas-signature-slot') as SignatureSlot;
  node.slotDef = slot;
  node.dataset.key = slot.key;
  node.signature = signature;
  return node;
};

/** The signature slots in `root`. */
export const signatureSlotsIn = (root: ParentNode) => [...root.querySelectorAll<SignatureSlot>('eas-signature-slot')];

/** The draft with `signature` given in slot `key` over the content `contentHash`, or without it (taken back). */
const withSignature = (d: Draft, key: string, signature: DraftSignature | null, contentHash: string | undefined): Draft => {
  const signatures = { ...d.signatures };
  if (signature) signatures[key] = { ...signature, contentHash };
  else delete signatures[key];
  return { ...d, signatures };
};

/** Keeps each signature given in the draft with what the person signs for: the record's content at that moment. */
export class SignatureKeeper {
  #autosave: DraftAutosave;
  #definition: Pick<FormDefinition, 'fields'>;
  #data: () => Draft['data'];
  /** Content hashes of signatures being computed, one after the other. */
  #signing: Promise<unknown> = Promise.resolve();

  constructor(autosave: DraftAutosave, definition: Pick<FormDefinition, 'fields'>, data: () => Draft['data']) {
    this.#autosave = autosave;
    this.#definition = definition;
    this.#data = data;
  }

  /** A signature given (or taken back, null) in slot `key`; its content hash is checked again before sending. */
  given(key: string, signature: DraftSignature | null) {
    const signed = signature
      ? draftContentHash({ ...this.#autosave.draft, data: this.#data() }, this.#definition)
      : Promise.resolve(undefined);
    this.#signing = this.#signing.then(() =>
      signed.then((contentHash) => this.#autosave.update((d) => withSignature(d, key, signature, contentHash)))
    );
  }

  /** Settles once every signature given so far is in the draft (awaited before review and sending). */
  kept(): Promise<unknown> {
    return this.#signing;
  }
}

/**
 * Marks each of `nodes` that must be signed (again) before review, and clears the others; returns where focus goes
 * for each. `stale`: slots signed over other content than the record holds now; `bound`: the server's signatures
 * that still endorse it (a record being fixed).
 */
export const markSignatures = (
  nodes: SignatureSlot[],
  draft: Pick<Draft, 'signatures' | 'fixing'>,
  { stale, bound }: { stale: Set<string>; bound: Set<string> }
): HTMLElement[] => {
  const focusables: HTMLElement[] = [];
  for (const node of nodes) {
    const { key, role } = node.slotDef;
    if (stale.has(key)) {
      node.resign(t('capture.changedAfterSigned', { role }));
      focusables.push(node.focusTarget());
      continue;
    }
    if (bound.has(key)) {
      node.setError(null);
      continue;
    }
    if (draft.fixing?.signatures[key] && !draft.signatures[key]) {
      node.setError(t('capture.changedSinceSigned', { role }));
      focusables.push(node.focusTarget());
      continue;
    }
    const message = node.problem();
    node.setError(message);
    if (message) focusables.push(node.focusTarget());
  }
  return focusables;
};
