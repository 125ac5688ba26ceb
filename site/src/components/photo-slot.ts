/**
 * <eas-photo-slot>: one photo (front, back or a photo field) — live camera preview with a framing overlay, capture,
 * preview, retake; the file input when the camera cannot be used (photo-camera.ts). The photo is prepared for the
 * draft (lib/prepare-photo.ts) and announced with "eas:photo". Created by <eas-capture> and the form preview.
 */
import type { PhotoSlotDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import type { DraftPhoto } from '../lib/draft';
import { language, t } from '../lib/i18n';
import { preparePhoto } from '../lib/prepare-photo';
import { cameraProblem, frameAsJpeg, noCameraApi, openBackCamera } from './photo-camera';
import { drawPhotoSlot } from './photo-slot-markup';

let counter = 0;

export class PhotoSlot extends HTMLElement {
  slotDef!: PhotoSlotDefinition;
  #stream: MediaStream | null = null;
  #url: string | null = null;
  #photo: DraftPhoto | null = null;
  /** The camera delivers frames: "Capture photo" can be used. */
  #ready = false;

  get photo() {
    return this.#photo;
  }

  /** Shows a photo kept in the draft (no event). */
  set photo(photo: DraftPhoto | null) {
    this.#photo = photo;
    this.#showPreview();
  }

  connectedCallback() {
    if (this.childElementCount) return;
    const s = this.slotDef;
    drawPhotoSlot(this, s, `photo-${s.side}-${++counter}`);

    this.#button('open').addEventListener('click', () => void this.#openCamera());
    this.#button('retake').addEventListener('click', () => void this.#openCamera());
    this.#button('shoot').addEventListener('click', () => void this.#shoot());
    this.#button('cancel').addEventListener('click', () => {
      this.#stop();
      this.#showPreview();
    });
    this.querySelector<HTMLInputElement>('input[type=file]')!.addEventListener('change', (event) => {
      const input = event.currentTarget as HTMLInputElement;
      const file = input.files?.[0];
      if (file) void this.#accept(file);
    });
    this.#showPreview();
  }

  disconnectedCallback() {
    this.#stop();
    if (this.#url) URL.revokeObjectURL(this.#url);
  }

  /** The inline error (from validation), or none. */
  setError(message: string | null) {
    const error = this.querySelector<HTMLElement>('[data-error]')!;
    error.textContent = message ?? '';
    error.hidden = !message;
  }

  /** Where keyboard focus goes when this slot has an error. */
  focusTarget(): HTMLElement {
    const fallback = this.querySelector<HTMLElement>('[data-fallback]')!;
    return fallback.hidden ? this.#button(this.#photo ? 'retake' : 'open') : this.querySelector<HTMLElement>('input[type=file]')!;
  }

  #button(name: string) {
    return this.querySelector<HTMLButtonElement>(`[data-${name}]`)!;
  }

  #message(text: string) {
    this.querySelector<HTMLElement>('[data-msg]')!.textContent = text;
  }

  #showFallback(why: string) {
    const fallback = this.querySelector<HTMLElement>('[data-fallback]')!;
    fallback.querySelector('[data-why]')!.textContent = why;
    fallback.hidden = false;
    this.#button('open').hidden = true;
    this.#button('retake').hidden = true;
  }

  #showPreview() {
    if (!this.isConnected || !this.childElementCount) return;
    const img = this.querySelector<HTMLImageElement>('[data-preview]')!;
    if (this.#url) URL.revokeObjectURL(this.#url);
    this.#url = this.#photo ? URL.createObjectURL(this.#photo.blob) : null;
    img.hidden = !this.#url;
    if (this.#url) img.src = this.#url;
    else img.removeAttribute('src');
    const cameraOpen = Boolean(this.#stream);
    const fallback = !this.querySelector<HTMLElement>('[data-fallback]')!.hidden;
    this.querySelector<HTMLElement>('[data-camera]')!.hidden = !cameraOpen;
    this.#button('open').hidden = cameraOpen || fallback || Boolean(this.#photo);
    this.#button('retake').hidden = cameraOpen || fallback || !this.#photo;
    this.#button('shoot').hidden = !cameraOpen || !this.#ready;
    this.#button('cancel').hidden = !cameraOpen;
    if (this.#photo) this.#message(t('photoSlot.ready', { width: String(this.#photo.width), height: String(this.#photo.height) }));
  }

  async #openCamera() {
    this.setError(null);
    if (noCameraApi()) {
      this.#showFallback(cameraProblem(Object.assign(new Error('no camera API'), { name: 'Unsupported' })));
      return;
    }
    this.#message(t('photoSlot.starting'));
    try {
      this.#stream = await openBackCamera();
    } catch (err) {
      this.#stream = null;
      this.#message('');
      this.#showFallback(cameraProblem(err));
      return;
    }
    const video = this.querySelector('video')!;
    video.srcObject = this.#stream;
    this.#ready = false;
    this.#showPreview();
    this.querySelector<HTMLImageElement>('[data-preview]')!.hidden = true;
    // "Capture photo" appears only once the camera delivers frames (the video knows its size).
    const ready = video.videoWidth
      ? Promise.resolve()
      : new Promise<void>((resolve) => video.addEventListener('loadedmetadata', () => resolve(), { once: true }));
    try {
      await video.play();
    } catch {
      /* autoplay of a muted stream is allowed; ignore odd browsers */
    }
    await ready;
    if (!this.#stream) return;
    this.#ready = true;
    this.#showPreview();
    this.querySelector<HTMLImageElement>('[data-preview]')!.hidden = true;
    this.#message(t('photoSlot.cameraOn', { label: this.slotDef.label.toLocaleLowerCase(language()) }));
    this.#button('shoot').focus();
  }

  #stop() {
    this.#ready = false;
    this.#stream?.getTracks().forEach((t) => t.stop());
    this.#stream = null;
    const video = this.querySelector('video');
    if (video) video.srcObject = null;
  }

  async #shoot() {
    const video = this.querySelector('video')!;
    if (!video.videoWidth) {
      this.#message(t('photoSlot.notReady'));
      return;
    }
    // Full resolution: the frame as the camera delivers it.
    const blob = await frameAsJpeg(video);
    this.#stop();
    if (!blob) {
      this.setError(t('photoSlot.shootFailed'));
      this.#showPreview();
      return;
    }
    await this.#accept(blob);
  }

  async #accept(original: Blob) {
    this.setError(null);
    this.#message(t('photoSlot.preparing'));
    this.#button('shoot').disabled = true;
    try {
      const photo = await preparePhoto(original, this.slotDef.maxPixels);
      this.#photo = photo;
      this.#showPreview();
      this.dispatchEvent(new CustomEvent('eas:photo', { bubbles: true, detail: { side: this.slotDef.side, photo } }));
      this.#button(this.querySelector<HTMLElement>('[data-fallback]')!.hidden ? 'retake' : 'open').focus?.();
    } catch (err) {
      this.#message('');
      this.setError(err instanceof Error ? err.message : t('photoSlot.prepareFailed'));
      this.#showPreview();
    } finally {
      this.#button('shoot').disabled = false;
    }
  }
}
customElements.define('eas-photo-slot', PhotoSlot);
