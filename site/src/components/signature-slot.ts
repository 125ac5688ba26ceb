/**
 * <eas-signature-slot>: the slot's consent text, the signer's name and a signature_pad canvas (high-DPI, strokes
 * kept on resize and rotation), with Undo and Clear; each change is announced with "eas:signature". Created by
 * <eas-capture> and the form preview for each signature slot.
 */
import SignaturePad from 'signature_pad';
import type { SignatureSlotDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import type { DraftSignature } from '../lib/draft';
import { applyTranslations, t } from '../lib/i18n';

/** toDataURL → Blob without fetch (the page's CSP does not allow fetching data: URLs). */
const dataUrlToBlob = (url: string): Blob => {
  const [head, body] = url.split(',');
  const bytes = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type: /data:([^;]+)/.exec(head)?.[1] ?? 'image/png' });
};

let counter = 0;

export class SignatureSlot extends HTMLElement {
  slotDef!: SignatureSlotDefinition;
  #pad: SignaturePad | null = null;
  #observer: ResizeObserver | null = null;
  #signedAt: string | null = null;
  #initial: DraftSignature | null = null;

  /** Restores a signature kept in the draft (no event). */
  set signature(sig: DraftSignature | null) {
    this.#initial = sig;
    if (this.#pad && sig) this.#restore(sig);
  }

  connectedCallback() {
    if (this.childElementCount) return;
    const s = this.slotDef;
    const id = `sig-${++counter}`;
    this.innerHTML = `
      <section class="media-slot" aria-labelledby="${id}-title">
        <h2 id="${id}-title"></h2>
        <p class="consent" id="${id}-consent"></p>
        <label for="${id}-name" data-t="signatureSlot.signer"></label>
        <input id="${id}-name" autocomplete="name" aria-describedby="${id}-error" />
        <p class="muted" id="${id}-pad-label" data-t="signatureSlot.pad"></p>
        <div class="pad"><canvas aria-labelledby="${id}-title ${id}-pad-label" aria-describedby="${id}-consent" role="img"></canvas></div>
        <p class="field-error" id="${id}-error" data-error hidden></p>
        <div class="actions">
          <button type="button" class="secondary" data-undo data-t="signatureSlot.undo"></button>
          <button type="button" class="secondary" data-clear data-t="signatureSlot.clear"></button>
        </div>
      </section>`;
    applyTranslations(this);
    const title = this.querySelector('h2')!;
    title.textContent = t('signatureSlot.title', { role: s.role });
    if (s.required) {
      title.insertAdjacentHTML('beforeend', ' <span class="req" aria-hidden="true">*</span><span class="sr-only"></span>');
      title.querySelector('.sr-only')!.textContent = t('app.required');
    }
    this.querySelector('.consent')!.textContent = s.consentText;
    const canvas = this.querySelector('canvas')!;
    const pad = new SignaturePad(canvas, { penColor: '#111' });
    this.#pad = pad;
    this.#resize();
    this.#observer = new ResizeObserver(() => this.#resize());
    this.#observer.observe(canvas);
    window.addEventListener('orientationchange', this.#onRotate);

    pad.addEventListener('endStroke', () => {
      this.#signedAt = new Date().toISOString();
      this.#emit();
    });
    this.#input().addEventListener('input', () => this.#emit());
    this.querySelector('[data-undo]')!.addEventListener('click', () => {
      const data = pad.toData();
      data.pop();
      pad.fromData(data);
      this.#signedAt = new Date().toISOString();
      this.#emit();
    });
    this.querySelector('[data-clear]')!.addEventListener('click', () => {
      pad.clear();
      this.#emit();
    });
    if (this.#initial) this.#restore(this.#initial);
  }

  disconnectedCallback() {
    this.#observer?.disconnect();
    window.removeEventListener('orientationchange', this.#onRotate);
  }

  #onRotate = () => this.#resize();

  #input() {
    return this.querySelector<HTMLInputElement>('input')!;
  }

  #restore(sig: DraftSignature) {
    this.#input().value = sig.signerName;
    this.#signedAt = sig.signedAt;
    this.#pad?.fromData(sig.strokes);
  }

  /** Sizes the canvas to its box at the device's pixel ratio and redraws the strokes (fromData). */
  #resize() {
    const canvas = this.querySelector('canvas');
    if (!canvas || !this.#pad) return;
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const width = canvas.offsetWidth;
    const height = canvas.offsetHeight;
    if (!width || !height) return;
    if (canvas.width === Math.round(width * ratio) && canvas.height === Math.round(height * ratio)) return;
    const data = this.#pad.toData();
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.getContext('2d')!.scale(ratio, ratio);
    this.#pad.clear();
    this.#pad.fromData(data);
  }

  /** The signature as the draft keeps it, or null while the pad is empty. */
  value(): DraftSignature | null {
    const pad = this.#pad;
    if (!pad || pad.isEmpty()) return null;
    return {
      png: dataUrlToBlob(pad.toDataURL('image/png')),
      strokes: pad.toData(),
      signerName: this.#input().value.trim(),
      consentText: this.slotDef.consentText,
      signedAt: this.#signedAt ?? new Date().toISOString(),
    };
  }

  #emit() {
    this.setError(null);
    this.dispatchEvent(new CustomEvent('eas:signature', { bubbles: true, detail: { key: this.slotDef.key, signature: this.value() } }));
  }

  /** What is missing for this slot, in words (null when complete or optional and untouched). */
  problem(): string | null {
    const empty = !this.#pad || this.#pad.isEmpty();
    const name = this.#input().value.trim();
    const role = this.slotDef.role;
    if (empty && !name) return this.slotDef.required ? t('signatureSlot.required', { role }) : null;
    if (empty) return t('signatureSlot.notSigned', { role });
    if (!name) return t('signatureSlot.signerMissing');
    return null;
  }

  setError(message: string | null) {
    const error = this.querySelector<HTMLElement>('[data-error]')!;
    error.textContent = message ?? '';
    error.hidden = !message;
    this.#input().setAttribute('aria-invalid', message ? 'true' : 'false');
  }

  focusTarget(): HTMLElement {
    return this.#input();
  }

  /** Clears a signature that no longer endorses the record (it changed after signing) and says why. */
  resign(message: string) {
    this.#pad?.clear();
    this.#emit();
    this.setError(message);
  }
}
customElements.define('eas-signature-slot', SignatureSlot);
