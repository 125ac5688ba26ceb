/**
 * <eas-capture>: one record of one form — fields from the form definition (form-view.ts), photos
 * (capture-photos.ts), signatures (capture-signatures.ts), review (capture-review.ts), submit (capture-submit.ts),
 * and the sending progress with a receipt per attachment (capture-result.ts); also the fix of a rejected record
 * (capture-open.ts). The draft is saved on the device on every change (lib/draft-autosave.ts). Markup in
 * CaptureForm.astro; this element opens the record and wires its parts together.
 */
import type { PublishedForm } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { getStore, isSignedIn, loadForm, startBackgroundSync } from '../lib/app';
import { newDraft, type DraftPhoto, type DraftSignature } from '../lib/draft';
import { DraftAutosave } from '../lib/draft-autosave';
import { fieldErrorMessage } from '../lib/field-errors';
import { inPersonsLanguage } from '../lib/form-language';
import { t, tn } from '../lib/i18n';
import type { EasStore } from '../lib/store';
import type { SyncItem } from '../lib/sync-state';
import { openDraft } from './capture-open';
import { markMissingPhotos, photoSlotNodes, photoSlotsIn, restorePhotos, takenPhotos } from './capture-photos';
import { showSyncResult } from './capture-result';
import { checkBeforeReview, renderReview } from './capture-review';
import { SignatureKeeper, signatureSlotNode } from './capture-signatures';
import { queueAndSend } from './capture-submit';
import { FormView } from './form-view';
import { DATES } from './page-dates';

class Capture extends HTMLElement {
  #store!: EasStore;
  #form!: PublishedForm;
  #autosave!: DraftAutosave;
  #view!: FormView;
  #signatures!: SignatureKeeper;

  connectedCallback() {
    void this.#start().catch((err) => this.#fatal(err instanceof Error ? err.message : t('capture.cannotStart')));
  }

  get #draft() {
    return this.#autosave.draft;
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
    this.#store = await getStore();
    const opened = await openDraft(this.#store, params, (message) => this.#fatal(message));
    if (!opened) return;
    const existing = opened.draft;
    const form = await loadForm(existing?.form.slug ?? params.get('form') ?? '', existing?.form.version);
    if (!form) {
      this.#fatal(navigator.onLine ? t('capture.notPublished') : t('capture.notSaved'));
      return;
    }
    // Labels, hints, options and consent texts in the person's language (the form's own where it has none).
    this.#form = inPersonsLanguage(form);
    // Kept on the device from the first answer on (an untouched form leaves nothing behind): closing the tab
    // never loses the capture.
    this.#autosave = new DraftAutosave(this.#store, existing ?? newDraft(form));
    if (!existing || params.get('fix')) {
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
      photoNodes: (slot) => photoSlotNodes(slot, this.#draft.fixing),
      changed: () => {
        const data = this.#view.data();
        this.#autosave.update((d) => ({ ...d, data }));
      },
      // A required photo field on the page must be taken before going on, as a required answer must be given.
      pageProblems: (onPage) => {
        const nodes = photoSlotsIn(this.#q('[data-fields]')).filter((node) => onPage(node.slotDef.side));
        return markMissingPhotos(nodes, def, takenPhotos(this.#draft)).focusables;
      },
    });
    this.#view.render(this.#draft.data);
    this.#signatures = new SignatureKeeper(this.#autosave, def, () => this.#view.data());

    // The front and back slots after the fields (photo fields are drawn among the fields, by render-field.ts).
    this.#q('[data-photos]').replaceChildren(...def.photos.flatMap((slot) => photoSlotNodes(slot, this.#draft.fixing)));
    restorePhotos(this, this.#draft.photos);
    this.#q('[data-signatures]').replaceChildren(
      ...def.signatures.map((slot) => signatureSlotNode(slot, this.#draft.signatures[slot.key] ?? null))
    );

    this.#q<HTMLFormElement>('[data-form]').addEventListener('submit', (e) => {
      e.preventDefault();
      void this.#review();
    });
    this.addEventListener('eas:photo', (e) => {
      const { side, photo } = (e as CustomEvent<{ side: string; photo: DraftPhoto }>).detail;
      this.#autosave.update((d) => ({ ...d, photos: { ...d.photos, [side]: photo } }));
    });
    this.addEventListener('eas:signature', (e) => {
      const { key, signature } = (e as CustomEvent<{ key: string; signature: DraftSignature | null }>).detail;
      this.#signatures.given(key, signature);
    });
    this.#q('[data-edit]').addEventListener('click', () => this.#show('form'));
    this.#q('[data-submit]').addEventListener('click', () => void this.#submit());
    this.#q('[data-fix]').addEventListener('click', () => this.#show('form'));
  }

  // ── review ──────────────────────────────────────────────────────────────────────────────────────────────
  async #review() {
    const def = this.#form.definition;
    const data = this.#view.data();
    await this.#signatures.kept();
    const { focusables, firstKey } = await checkBeforeReview(this, this.#view, def, this.#draft, data);
    const summary = this.#q('[data-summary]');
    if (focusables.length) {
      summary.textContent = tn('capture.attention', focusables.length);
      summary.hidden = false;
      // On a paged form, the first page with something to fix is shown (else the last, with photos and signatures).
      const { pager } = this.#view;
      if (pager.pages.length > 1) pager.showPage(firstKey ? pager.pageOf(firstKey) : pager.pages.length - 1);
      focusables[0].focus();
      focusables[0].scrollIntoView({ block: 'center' });
      return;
    }
    summary.hidden = true;
    renderReview(this.#q('[data-review-list]'), this.#q('[data-review-media]'), def, this.#draft, data);
    this.#show('review');
    this.#q('#review-title').focus();
  }

  // ── submit and sync ─────────────────────────────────────────────────────────────────────────────────────
  async #submit() {
    const button = this.#q<HTMLButtonElement>('[data-submit]');
    button.disabled = true;
    try {
      await this.#signatures.kept();
      await this.#autosave.saved();
      const draft = { ...this.#draft, data: this.#view.data() };
      await queueAndSend(this.#store, draft, this.#form.definition, (item) => this.#showResult(item));
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
    const context = { fields: this.#form.definition.fields, today: this.#draft.capturedAt.slice(0, 10), dates: DATES };
    showSyncResult(this, item, (fe) => this.#view.setFieldError(fe.key, fieldErrorMessage(fe, context)));
  }
}
customElements.define('eas-capture', Capture);
