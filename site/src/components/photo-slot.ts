/**
 * <eas-photo-slot>: one photo (front, back or a photo field) — live camera preview with a framing overlay, capture,
 * preview, retake; the file input when the camera cannot be used (photo-camera.ts). The photo is prepared for the
 * draft and checked (lib/prepare-photo.ts); one with quality warnings is held back, shown with them, until the person
 * retakes it or chooses "Use anyway" (photo-slot-quality.ts). A photo taken is announced with "eas:photo". Created
 * by <eas-capture> and the form preview.
 */
import type { PhotoSlotDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import type { DraftPhoto } from '../lib/draft';
import { language, t } from '../lib/i18n';
import { needsDecision, withOverride, type PhotoCheck } from '../lib/photo-check';
import { visibleButtons } from '../lib/photo-slot-buttons';
import { preparePhoto } from '../lib/prepare-photo';
import { cameraProblem, frameAsJpeg, noCameraApi, openBackCamera, playStream } from './photo-camera';
import { drawPhotoSlot } from './photo-slot-markup';
import { otherSideHash, showQualityWarning } from './photo-slot-quality';

let counter = 0;

export class PhotoSlot extends HTMLElement {
  slotDef!: PhotoSlotDefinition;
  #stream: MediaStream | null = null;
  #url: string | null = null;
  #photo: DraftPhoto | null = null;
  /** A photo with quality warnings, not in the record until the person retakes it or chooses "Use anyway". */
  #held: { photo: DraftPhoto; check: PhotoCheck } | null = null;
  /** The camera delivers frames: "Capture photo" can be used. */
  #ready = false;

  get photo() {
    return this.#photo;
  }

  /** Shows a photo kept in the draft (no event). */
  set photo(photo: DraftPhoto | null) {
    this.#photo = photo;
    this.#hold(null);
  }

  connectedCallback() {
    if (this.childElementCount) return;
    const s = this.slotDef;
    drawPhotoSlot(this, s, `photo-${s.side}-${++counter}`);

    this.#button('open').addEventListener('click', () => void this.#openCamera());
    this.#button('retake').addEventListener('click', () => this.#retake());
    this.#button('use-anyway').addEventListener('click', () => {
      const { photo, check } = this.#held!;
      this.#take({ ...photo, metadata: withOverride(photo.metadata, check) });
    });
    this.#button('shoot').addEventListener('click', () => void this.#shoot());
    this.#button('cancel').addEventListener('click', () => {
      this.#stop();
      this.#showPreview();
    });
    this.querySelector<HTMLInputElement>('input[type=file]')!.addEventListener('change', (event) => {
      const file = (event.currentTarget as HTMLInputElement).files?.[0];
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
    if (this.#held) return this.#button('retake');
    return this.querySelector<HTMLElement>('[data-fallback]')!.hidden
      ? this.#button(this.#photo ? 'retake' : 'open')
      : this.querySelector<HTMLElement>('input[type=file]')!;
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
    this.#showPreview();
  }

  #showPreview() {
    if (!this.isConnected || !this.childElementCount) return;
    const img = this.querySelector<HTMLImageElement>('[data-preview]')!;
    const shown = this.#held?.photo ?? this.#photo;
    if (this.#url) URL.revokeObjectURL(this.#url);
    this.#url = shown ? URL.createObjectURL(shown.blob) : null;
    const cameraOpen = Boolean(this.#stream);
    img.hidden = !this.#url || cameraOpen;
    if (this.#url) img.src = this.#url;
    else img.removeAttribute('src');
    const fallback = !this.querySelector<HTMLElement>('[data-fallback]')!.hidden;
    this.querySelector<HTMLElement>('[data-camera]')!.hidden = !cameraOpen;
    const state = { cameraOpen, ready: this.#ready, fallback, photo: Boolean(this.#photo), held: this.#held?.check ?? null };
    for (const [name, visible] of Object.entries(visibleButtons(state))) this.#button(name).hidden = !visible;
    if (this.#held) this.#message('');
    else if (this.#photo) this.#message(t('photoSlot.ready', { width: String(this.#photo.width), height: String(this.#photo.height) }));
  }

  /** Holds back a photo with warnings and shows them, or (null) drops the one held. */
  #hold(held: { photo: DraftPhoto; check: PhotoCheck } | null) {
    this.#held = held;
    showQualityWarning(this, held?.check ?? null);
    this.#showPreview();
  }

  /** Retake: drops the photo held back, then the camera again — or the file input, when the camera cannot be used. */
  #retake() {
    this.#hold(null);
    if (this.querySelector<HTMLElement>('[data-fallback]')!.hidden) return void this.#openCamera();
    const input = this.querySelector<HTMLInputElement>('input[type=file]')!;
    input.value = '';
    input.focus();
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
    this.#ready = false;
    const playing = playStream(this.querySelector('video')!, this.#stream);
    this.#showPreview();
    // "Capture photo" appears only once the camera delivers frames (the video knows its size).
    await playing;
    if (!this.#stream) return;
    this.#ready = true;
    this.#showPreview();
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
    if (blob) return this.#accept(blob);
    this.setError(t('photoSlot.shootFailed'));
    this.#showPreview();
  }

  async #accept(original: Blob) {
    this.setError(null);
    this.#message(t('photoSlot.preparing'));
    this.#button('shoot').disabled = true;
    try {
      const { photo, check } = await preparePhoto(original, this.slotDef, otherSideHash(this, this.slotDef.side));
      if (!needsDecision(check)) return this.#take(photo);
      this.#hold({ photo, check });
      this.#button('retake').focus();
    } catch (err) {
      this.#message('');
      this.setError(err instanceof Error ? err.message : t('photoSlot.prepareFailed'));
      this.#showPreview();
    } finally {
      this.#button('shoot').disabled = false;
    }
  }

  #take(photo: DraftPhoto) {
    this.#photo = photo;
    this.#hold(null);
    this.dispatchEvent(new CustomEvent('eas:photo', { bubbles: true, detail: { side: this.slotDef.side, photo } }));
    this.#button(this.querySelector<HTMLElement>('[data-fallback]')!.hidden ? 'retake' : 'open').focus?.();
  }
}
customElements.define('eas-photo-slot', PhotoSlot);
