/**
 * <eas-capture>: one record of one form — fields from the form definition, photos, signatures, review, submit,
 * and the sending progress with a receipt per attachment; also the fix of a rejected record. The draft is saved on
 * the device on every change. Markup in CaptureForm.astro.
 */
import { el } from '../lib/dom';
import type { PublishedForm } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { ApiError } from '../lib/api';
import { getApi, getStore, isSignedIn, loadForm, startBackgroundSync, syncNow } from '../lib/app';
import { boundServerSignatures, fixDraftOf } from '../lib/fix-draft';
import { fieldErrorMessage } from '../lib/field-errors';
import { formatNumber, t, tn } from '../lib/i18n';
import { describeWait, statusWord } from '../lib/status-words';
import { missingMedia } from '../lib/capture-form';
import { DATES, FormView } from './form-view';
import { inPersonsLanguage } from '../lib/form-language';
import type { PhotoSlotDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { isPhotoField, photoSlot, photoSlots } from '../../../cms/src/plugins/eas/shared/photo-slots';
import { displayWords, recordListItems } from '../lib/record-lines';
import { draftContentHash, staleSignatures } from '../lib/content-hash';
import { attachmentsOf, newDraft, type Draft, type DraftPhoto, type DraftSignature } from '../lib/draft';
import type { EasStore } from '../lib/store';
import { reduceSync, type SyncItem } from '../lib/sync-state';

type PhotoSlotEl = HTMLElement & {
  slotDef: unknown;
  photo: DraftPhoto | null;
  setError(m: string | null): void;
  focusTarget(): HTMLElement;
};
type SignatureSlotEl = HTMLElement & {
  slotDef: { key: string };
  signature: DraftSignature | null;
  value(): DraftSignature | null;
  problem(): string | null;
  setError(m: string | null): void;
  focusTarget(): HTMLElement;
  resign(message: string): void;
};

const WORDS = displayWords(DATES);

const KEEP_SAFE = t('capture.keepSafe');

class Capture extends HTMLElement {
  #store!: EasStore;
  #form!: PublishedForm;
  #draft!: Draft;
  #view!: FormView;
  #saving: Promise<unknown> = Promise.resolve();
  /** Content hashes of signatures being computed (awaited before review). */
  #signing: Promise<unknown> = Promise.resolve();

  connectedCallback() {
    void this.#start().catch((err) => this.#fatal(err instanceof Error ? err.message : t('capture.cannotStart')));
  }

  #q<T extends HTMLElement = HTMLElement>(selector: string) {
    return this.querySelector<T>(selector)!;
  }

  #fatal(message: string) {
    const status = this.#q('[data-status]');
    status.textContent = message;
    status.className = 'error';
  }

  async #start() {
    if (!isSignedIn()) {
      location.replace('/');
      return;
    }
    startBackgroundSync();
    const params = new URLSearchParams(location.search);
    const slug = params.get('form') ?? '';
    const fixId = params.get('fix');
    this.#store = await getStore();
    const existing = fixId
      ? await this.#fixDraft(fixId)
      : params.get('draft')
        ? await this.#store.getDraft(params.get('draft')!)
        : undefined;
    if (fixId && !existing) return;
    const form = await loadForm(existing?.form.slug ?? slug, existing?.form.version);
    if (!form) {
      this.#fatal(navigator.onLine ? t('capture.notPublished') : t('capture.notSaved'));
      return;
    }
    // Labels, hints, options and consent texts in the person's language (the form's own where it has none).
    this.#form = inPersonsLanguage(form);
    if (existing) {
      this.#draft = existing;
    } else {
      // Kept on the device from the first answer on (an untouched form leaves nothing behind): closing the tab
      // never loses the capture.
      this.#draft = newDraft(form);
    }
    if (!existing || fixId) {
      const next = new URLSearchParams({ form: form.slug, draft: this.#draft.clientId });
      history.replaceState(null, '', `${location.pathname}?${next}`);
    }
    document.title = `${form.name} — EAS`;
    this.#render();
    this.#q('[data-status]').hidden = true;

    window.addEventListener('eas:sync-item', (e) => {
      const item = (e as CustomEvent<SyncItem>).detail;
      if (item.clientId === this.#draft.clientId) this.#showSync(item);
    });
    const item = await this.#store.getSyncItem(this.#draft.clientId);
    // A rejected record is fixed in the form until it is resent; anything else sent shows its sending state.
    const fixingNow = Boolean(this.#draft.fixing) && (!item || (item.status === 'rejected' && !item.fix));
    if (item && item.status !== 'draft' && !fixingNow) this.#showResult(item);
    else this.#show('form');
  }

  /** The phone's draft for fixing a rejected record (from the server's copy); null with a message when it cannot. */
  async #fixDraft(documentId: string): Promise<Draft | undefined> {
    let record;
    try {
      record = await getApi().getRecord(documentId);
    } catch (err) {
      this.#fatal(
        err instanceof ApiError && err.kind === 'offline'
          ? t('capture.fixOffline')
          : err instanceof ApiError && (err.kind === 'not-found' || err.kind === 'forbidden')
            ? t('record.notYours')
            : err instanceof Error
              ? err.message
              : t('capture.loadFailed')
      );
      return undefined;
    }
    const local = await this.#store.getDraft(record.clientId);
    if (record.status !== 'rejected') {
      // Already resent (or approved): show where it stands.
      if (local) return local;
      location.replace(`/record/?id=${encodeURIComponent(record.documentId)}`);
      return undefined;
    }
    // The phone may not have heard of the rejection yet (it still says "submitted"): it has now.
    const item = await this.#store.getSyncItem(record.clientId);
    if (item && !item.fix) await this.#store.putSyncItem(reduceSync(item, { type: 'server-record', at: Date.now(), record }));
    return this.#store.saveDraft(fixDraftOf(record, local));
  }

  #show(view: 'form' | 'review' | 'result') {
    this.#q('[data-form]').hidden = view !== 'form';
    this.#q('[data-review]').hidden = view !== 'review';
    this.#q('[data-result]').hidden = view !== 'result';
  }

  // ── the form ────────────────────────────────────────────────────────────────────────────────────────────
  #render() {
    const def = this.#form.definition;
    this.#q('[data-title]').textContent = this.#form.name;
    if (this.#form.description) {
      const d = this.#q('[data-description]');
      d.textContent = this.#form.description;
      d.hidden = false;
    }
    if (this.#draft.fixing) {
      this.#q('[data-fixing]').hidden = false;
      this.#q('[data-fixing-comment]').textContent = this.#draft.fixing.reviewComment ?? '';
    }
    this.#view = new FormView({
      definition: def,
      today: this.#draft.capturedAt.slice(0, 10),
      form: this.#q<HTMLFormElement>('[data-form]'),
      container: this.#q('[data-fields]'),
      photoNodes: (slot) => this.#photoNodes(slot),
      changed: () => {
        const data = this.#data();
        this.#update((d) => ({ ...d, data }));
      },
      pageProblems: (onPage) => this.#photosMissingOnPage(onPage),
    });
    this.#view.render(this.#draft.data);

    // The front and back slots after the fields (photo fields are drawn among the fields, by #renderField).
    this.#q('[data-photos]').replaceChildren(...def.photos.flatMap((slot) => this.#photoNodes(slot)));
    for (const node of this.querySelectorAll<PhotoSlotEl>('eas-photo-slot')) node.photo = this.#draft.photos[node.dataset.side!] ?? null;

    const signatures = def.signatures.map((slot) => {
      const node = document.createElement('eas-signature-slot') as SignatureSlotEl;
      node.slotDef = slot;
      node.dataset.key = slot.key;
      node.signature = this.#draft.signatures[slot.key] ?? null;
      return node;
    });
    this.#q('[data-signatures]').replaceChildren(...signatures);

    const form = this.#q<HTMLFormElement>('[data-form]');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.#review();
    });
    this.addEventListener('eas:photo', (e) => {
      const { side, photo } = (e as CustomEvent<{ side: string; photo: DraftPhoto }>).detail;
      this.#update((d) => ({ ...d, photos: { ...d.photos, [side]: photo } }));
    });
    this.addEventListener('eas:signature', (e) => {
      const { key, signature } = (e as CustomEvent<{ key: string; signature: DraftSignature | null }>).detail;
      // What the person signs for: the record's content at this moment (checked again before it is sent).
      const signed = signature
        ? draftContentHash({ ...this.#draft, data: this.#data() }, this.#form.definition)
        : Promise.resolve(undefined);
      this.#signing = this.#signing.then(() =>
        signed.then((contentHash) =>
          this.#update((d) => {
            const signatures = { ...d.signatures };
            if (signature) signatures[key] = { ...signature, contentHash };
            else delete signatures[key];
            return { ...d, signatures };
          })
        )
      );
    });
    this.#q('[data-edit]').addEventListener('click', () => this.#show('form'));
    this.#q('[data-submit]').addEventListener('click', () => void this.#submit());
    this.#q('[data-fix]').addEventListener('click', () => this.#show('form'));
  }

  /** A photo slot (front, back or a photo field), after the server's copy when a rejected record is being fixed. */
  #photoNodes(slot: PhotoSlotDefinition): HTMLElement[] {
    const node = document.createElement('eas-photo-slot') as PhotoSlotEl;
    node.slotDef = slot;
    node.dataset.side = slot.side;
    const kept = this.#draft.fixing?.photos[slot.side];
    if (!kept) return [node];
    const figure = el(
      'figure',
      { className: 'kept-photo' },
      el('img', { src: kept.thumbnailUrl, alt: t('capture.onServer', { label: slot.label }) }),
      el('figcaption', { className: 'muted' }, t('capture.keptPhoto', { label: slot.label }))
    );
    figure.dataset.keptPhoto = slot.side;
    return [figure, node];
  }

  /** A required photo field on the page must be taken before going on, as a required answer must be given. */
  #photosMissingOnPage(onPage: (key: string) => boolean): HTMLElement[] {
    return [...this.#q('[data-fields]').querySelectorAll<PhotoSlotEl>('eas-photo-slot')].flatMap((node) => {
      const slot = photoSlot(this.#form.definition, node.dataset.side!);
      if (!slot || !onPage(slot.side)) return [];
      const missing = slot.required && !this.#draft.photos[slot.side] && !this.#draft.fixing?.photos[slot.side];
      node.setError(missing ? t('capture.photoRequired', { label: slot.label }) : null);
      return missing ? [node.focusTarget()] : [];
    });
  }

  #data() {
    return this.#view.data();
  }

  /** Saves the draft on the device, one change after the other. */
  #update(change: (d: Draft) => Draft) {
    this.#draft = change(this.#draft);
    this.#saving = this.#saving
      .then(() => this.#store.updateDraft(this.#draft.clientId, change))
      .catch(() => this.#store.saveDraft(this.#draft));
  }

  // ── review ──────────────────────────────────────────────────────────────────────────────────────────────
  async #review() {
    const def = this.#form.definition;
    const data = this.#data();
    await this.#signing;
    const shown = this.#view.showErrors();
    const { result, focusables } = shown;
    let firstKey = shown.firstKey;
    // Fixing a rejected record: the server's photos count, and its signatures while they endorse this content.
    const current = this.#draft.fixing ? await draftContentHash({ ...this.#draft, data }, def) : '';
    const boundOnServer = boundServerSignatures(this.#draft, current);
    const captured = {
      photos: { ...this.#draft.fixing?.photos, ...this.#draft.photos },
      signatures: { ...Object.fromEntries([...boundOnServer].map((slot) => [slot, true])), ...this.#draft.signatures },
    };
    const missing = new Set(missingMedia(def, captured));
    for (const node of this.querySelectorAll<PhotoSlotEl>('eas-photo-slot')) {
      const slot = photoSlot(def, node.dataset.side!)!;
      const message = missing.has(slot.label) ? t('capture.photoRequired', { label: slot.label }) : null;
      node.setError(message);
      if (message && isPhotoField(slot.side)) firstKey ??= slot.side;
      if (message) focusables.push(node.focusTarget());
    }
    // A signature given before the data or a photo changed no longer endorses the record: ask for it again.
    const stale = result.ok ? new Set(await staleSignatures({ ...this.#draft, data }, def)) : new Set<string>();
    for (const node of this.querySelectorAll<SignatureSlotEl>('eas-signature-slot')) {
      const slot = def.signatures.find((s) => s.key === node.slotDef.key)!;
      if (stale.has(slot.key)) {
        node.resign(t('capture.changedAfterSigned', { role: slot.role }));
        focusables.push(node.focusTarget());
        continue;
      }
      if (boundOnServer.has(slot.key)) {
        node.setError(null);
        continue;
      }
      if (this.#draft.fixing?.signatures[slot.key] && !this.#draft.signatures[slot.key]) {
        node.setError(t('capture.changedSinceSigned', { role: slot.role }));
        focusables.push(node.focusTarget());
        continue;
      }
      const message = node.problem();
      node.setError(message);
      if (message) focusables.push(node.focusTarget());
    }
    const summary = this.#q('[data-summary]');
    if (focusables.length) {
      summary.textContent = tn('capture.attention', focusables.length);
      summary.hidden = false;
      // On a paged form, the first page with something to fix is shown (else the last, with photos and signatures).
      if (this.#view.structure.pages.length > 1)
        this.#view.structure.showPage(firstKey ? this.#view.structure.pageOf(firstKey) : this.#view.structure.pages.length - 1);
      focusables[0].focus();
      focusables[0].scrollIntoView({ block: 'center' });
      return;
    }
    summary.hidden = true;
    this.#renderReview(data);
    this.#show('review');
    this.#q('#review-title').focus();
  }

  #renderReview(data: Record<string, unknown>) {
    const def = this.#form.definition;
    const list = this.#q('[data-review-list]');
    list.replaceChildren();
    list.append(...recordListItems(def, data, WORDS));
    const media = this.#q('[data-review-media]');
    for (const img of media.querySelectorAll('img')) URL.revokeObjectURL(img.src);
    media.replaceChildren();
    for (const slot of photoSlots(def)) {
      const photo = this.#draft.photos[slot.side];
      const kept = this.#draft.fixing?.photos[slot.side];
      if (photo) {
        media.append(
          el(
            'figure',
            {},
            el('img', { src: URL.createObjectURL(photo.blob), alt: t('capture.reviewPhoto', { label: slot.label }) }),
            el('figcaption', {}, slot.label)
          )
        );
      } else if (kept) {
        media.append(
          el(
            'figure',
            {},
            el('img', { src: kept.thumbnailUrl, alt: t('capture.reviewPhoto', { label: slot.label }) }),
            el('figcaption', {}, t('capture.onServer', { label: slot.label }))
          )
        );
      }
    }
    for (const slot of def.signatures) {
      const sig = this.#draft.signatures[slot.key];
      if (!sig) continue;
      media.append(
        el(
          'figure',
          {},
          el('img', { src: URL.createObjectURL(sig.png), alt: t('capture.reviewSignature', { name: sig.signerName }) }),
          el('figcaption', {}, t('capture.signedBy', { name: sig.signerName, role: slot.role }))
        )
      );
    }
  }

  // ── submit and sync ─────────────────────────────────────────────────────────────────────────────────────
  async #submit() {
    const button = this.#q<HTMLButtonElement>('[data-submit]');
    button.disabled = true;
    try {
      await this.#signing;
      await this.#saving;
      const draft = { ...this.#draft, data: this.#data() };
      const item = await this.#store.enqueue(draft, attachmentsOf(draft, this.#form.definition));
      window.dispatchEvent(new CustomEvent('eas:queued', { detail: item }));
      this.#showResult(item);
      await syncNow(true);
      // A run that had already started before this record was queued does not include it: run once more.
      const after = await this.#store.getSyncItem(draft.clientId);
      if (after?.status === 'queued') await syncNow(true);
    } finally {
      button.disabled = false;
    }
  }

  #showResult(item: SyncItem) {
    this.#show('result');
    this.#showSync(item);
    this.#q('#result-title').focus();
  }

  #showSync(item: SyncItem) {
    const title = this.#q('#result-title');
    const message = this.#q('[data-result-message]');
    const error = this.#q('[data-result-error]');
    const fix = this.#q('[data-fix]');
    const sent = item.status === 'submitted' || item.status === 'approved' || item.status === 'rejected';
    const needsPerson = item.status === 'failed' || item.status === 'incomplete';
    const saved = item.status === 'queued' || item.status === 'waiting';
    title.textContent = sent
      ? t('capture.submitted')
      : needsPerson
        ? statusWord('failed')
        : saved
          ? t('capture.saved')
          : t('capture.sending');
    error.hidden = true;
    fix.hidden = true;
    if (sent) {
      message.textContent = t('capture.received', { reference: item.reference ?? '' });
    } else if (saved) {
      message.textContent = `${describeWait(item.lastError?.kind, navigator.onLine)} ${KEEP_SAFE}`;
    } else if (needsPerson) {
      message.textContent = '';
    } else {
      message.textContent = t('capture.sendingRecord');
    }
    // A record waiting for the connection is normal, not an error; only what needs the person is shown as one.
    if (item.lastError && needsPerson) {
      error.textContent = t('capture.keptOnPhone', { message: item.lastError.message });
      error.hidden = false;
      fix.hidden = false;
      const context = { fields: this.#form.definition.fields, today: this.#draft.capturedAt.slice(0, 10), dates: DATES };
      for (const fe of item.lastError.fieldErrors) this.#view.setFieldError(fe.key, fieldErrorMessage(fe, context));
    }
    const list = this.#q('[data-receipts]');
    list.replaceChildren(
      ...item.attachments.map((a) => {
        const li = el('li', { className: `receipt receipt-${a.state}` });
        li.dataset.key = a.key;
        const label = el('span', { className: 'receipt-label' }, a.label);
        const progress = el('progress', { max: 1, value: a.state === 'done' ? 1 : a.progress });
        progress.setAttribute('aria-label', t('capture.upload', { label: a.label }));
        li.append(label, progress);
        if (a.state === 'done' && a.receipt) {
          li.append(el('span', { className: 'receipt-ok' }, `${t('capture.receipt')} `, el('code', {}, a.receipt)));
        } else if (a.state === 'failed') {
          li.append(el('span', { className: 'error' }, `✗ ${a.error ?? t('capture.notSent')} ${KEEP_SAFE}`));
        } else {
          li.append(
            el(
              'span',
              { className: 'muted' },
              a.state === 'uploading'
                ? t('capture.uploading', { percent: formatNumber(Math.round(a.progress * 100)) })
                : t('capture.waiting')
            )
          );
        }
        return li;
      })
    );
  }
}
customElements.define('eas-capture', Capture);
