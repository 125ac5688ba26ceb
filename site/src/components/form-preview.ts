/**
 * <eas-form-preview>: the form builder's live phone preview (/preview/, shown in a frame by the EAS admin). The
 * builder posts the draft definition on every change; this page renders it with the capture site's own renderer
 * and validator (form-view.ts), so the administrator types answers and sees errors, show-if and calculations as
 * field staff will. Nothing is stored or sent: it holds no record, needs no sign-in, and takes definitions only
 * from a page of its own origin that framed it.
 */
import type { FormDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { localiseDefinition } from '../../../cms/src/plugins/eas/shared/i18n/form-language';
import { el } from '../lib/dom';
import { t, tn } from '../lib/i18n';
import { markMissingPhotos, photoSlotNode, photoSlotsIn } from './capture-photos';
import { markSignatures, signatureSlotNode, signatureSlotsIn } from './capture-signatures';
import { FormView } from './form-view';

/** What the builder posts: the draft and the language to show it in (null: the form's own texts). */
export interface PreviewMessage {
  type: 'eas:preview';
  definition: FormDefinition;
  language: string | null;
}

const isPreviewMessage = (data: unknown): data is PreviewMessage =>
  typeof data === 'object' &&
  data !== null &&
  (data as { type?: unknown }).type === 'eas:preview' &&
  typeof (data as { definition?: unknown }).definition === 'object';

class FormPreview extends HTMLElement {
  #view: FormView | null = null;
  #definition: FormDefinition | null = null;
  /** Photos taken in the preview, by slot (kept in memory only, for "Check answers"). */
  #photos = new Map<string, unknown>();

  connectedCallback() {
    window.addEventListener('message', (e) => {
      // Only the page that framed this one, on this origin (the EAS admin), may show a form here.
      if (e.origin !== location.origin || e.source !== window.parent || !isPreviewMessage(e.data)) return;
      try {
        this.#show(e.data);
      } catch (err) {
        // A draft in the middle of an edit (a rule being typed) may not render: say so until it does.
        const waiting = this.querySelector<HTMLElement>('[data-waiting]')!;
        waiting.textContent = t('preview.cannotShow', { message: err instanceof Error ? err.message : String(err) });
        waiting.hidden = false;
      }
    });
    this.addEventListener('eas:photo', (e) => {
      const { side, photo } = (e as CustomEvent<{ side: string; photo: unknown }>).detail;
      this.#photos.set(side, photo);
    });
    if (window.parent !== window) window.parent.postMessage({ type: 'eas:preview-ready' }, location.origin);
  }

  #show({ definition: raw, language }: PreviewMessage) {
    const definition = localiseDefinition(raw, language);
    // Answers typed so far stay while the administrator edits (those of fields still in the form).
    const kept = this.#view?.data() ?? null;
    const oldForm = this.querySelector<HTMLFormElement>('[data-form]')!;
    // A fresh form element: the view's listeners belong to the definition they were made for.
    const form = oldForm.cloneNode(false) as HTMLFormElement;
    form.hidden = false;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#check();
    });
    const title = el('h1', {}, definition.name || t('preview.untitled'));
    const fields = el('div');
    const photos = el('div');
    const signatures = el('div');
    const summary = el('p', { className: 'error', hidden: true });
    summary.setAttribute('role', 'alert');
    summary.dataset.summary = '';
    const button = el('button', { type: 'submit' }, t('preview.check'));
    form.replaceChildren(
      title,
      ...(definition.description ? [el('p', { className: 'muted' }, definition.description)] : []),
      fields,
      photos,
      signatures,
      summary,
      el('p', {}, button)
    );
    oldForm.replaceWith(form);
    this.querySelector<HTMLElement>('[data-waiting]')!.hidden = true;

    this.#view = new FormView({
      definition,
      today: new Date().toISOString().slice(0, 10),
      form,
      container: fields,
      photoNodes: (slot) => [photoSlotNode(slot)],
      changed: () => {
        summary.hidden = true;
      },
    });
    this.#view.render(kept);
    this.#photos.clear();
    photos.replaceChildren(...definition.photos.map(photoSlotNode));
    signatures.replaceChildren(...definition.signatures.map((slot) => signatureSlotNode(slot)));
    this.#definition = definition;
  }

  /** "Check answers": every error the phone would show before review, and a summary. */
  #check() {
    if (!this.#view || !this.#definition) return;
    const { focusables } = this.#view.showErrors();
    focusables.push(...markMissingPhotos(photoSlotsIn(this), this.#definition, Object.fromEntries(this.#photos)).focusables);
    // The preview keeps no signature and fixes no record: each slot says what it misses itself.
    focusables.push(...markSignatures(signatureSlotsIn(this), { signatures: {} }, { stale: new Set(), bound: new Set() }));
    const summary = this.querySelector<HTMLElement>('[data-summary]')!;
    summary.className = focusables.length ? 'error' : 'ok';
    summary.textContent = focusables.length ? tn('capture.attention', focusables.length) : t('preview.allGood');
    summary.hidden = false;
    focusables[0]?.focus();
  }
}
customElements.define('eas-form-preview', FormPreview);
