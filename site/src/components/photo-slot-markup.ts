/**
 * The markup of one photo slot (photo-slot.ts): its title with the required mark, the hint (also over the camera
 * preview), the camera with its framing overlay, the taken photo, messages, buttons and the file input used when the
 * camera cannot be.
 */
import type { PhotoSlotDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { applyTranslations, t } from '../lib/i18n';

export const drawPhotoSlot = (root: HTMLElement, s: PhotoSlotDefinition, id: string) => {
  root.innerHTML = `
    <section class="media-slot" aria-labelledby="${id}-title">
      <h2 id="${id}-title"></h2>
      <p class="help" id="${id}-hint" hidden></p>
      <div class="camera" data-camera hidden>
        <video playsinline muted data-t-aria-label="photoSlot.preview"></video>
        <div class="frame" aria-hidden="true"></div>
        <p class="camera-hint" aria-hidden="true"></p>
      </div>
      <img class="preview" data-preview alt="" hidden />
      <p class="muted" role="status" data-msg></p>
      <p class="field-error" id="${id}-error" data-error hidden></p>
      <div class="quality-warning" id="${id}-quality" role="alert" data-quality></div>
      <div class="actions">
        <button type="button" data-open data-t="photoSlot.open"></button>
        <button type="button" data-shoot hidden data-t="photoSlot.shoot"></button>
        <button type="button" class="secondary" data-cancel hidden data-t="photoSlot.cancel"></button>
        <button type="button" class="secondary" data-retake hidden data-t="photoSlot.retake"></button>
        <button type="button" class="secondary" data-use-anyway hidden aria-describedby="${id}-quality" data-t="photoSlot.useAnyway"></button>
      </div>
      <div class="fallback" data-fallback hidden>
        <p data-why></p>
        <label for="${id}-file"></label>
        <input type="file" id="${id}-file" accept="image/jpeg,image/png,image/webp" capture="environment" aria-describedby="${id}-error" />
      </div>
    </section>`;
  applyTranslations(root);
  const title = root.querySelector('h2')!;
  title.textContent = s.label;
  if (s.required) {
    title.insertAdjacentHTML('beforeend', ' <span class="req" aria-hidden="true">*</span><span class="sr-only"></span>');
    title.querySelector('.sr-only')!.textContent = t('app.required');
  }
  const hint = root.querySelector<HTMLElement>(`#${id}-hint`)!;
  if (s.hint) {
    hint.textContent = s.hint;
    hint.hidden = false;
    root.querySelector('.camera-hint')!.textContent = s.hint;
  }
  root.querySelector<HTMLImageElement>('[data-preview]')!.alt = t('photoSlot.captured', { label: s.label });
  root.querySelector(`label[for="${id}-file"]`)!.textContent = t('photoSlot.file', { label: s.label });
};
