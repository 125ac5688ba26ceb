/**
 * The photo slots of a capture (photo-slot.ts): drawn with the server's copy beside them while a rejected record is
 * fixed, filled from the draft, and marked when a required photo is still to be taken (lib/capture-form.ts
 * missingPhotos, the shared rule). The capture element and the form preview mark them the same way.
 */
import type { FormDefinition, PhotoSlotDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { isPhotoField } from '../../../cms/src/plugins/eas/shared/photo-slots';
import { missingPhotos } from '../lib/capture-form';
import { el } from '../lib/dom';
import type { Draft } from '../lib/draft';
import { t } from '../lib/i18n';
import type { PhotoSlot } from './photo-slot';

/** A new photo slot element for `slot` (front, back or a photo field). */
export const photoSlotNode = (slot: PhotoSlotDefinition): PhotoSlot => {
  const node = document.createElement('eas-photo-slot') as PhotoSlot;
  node.slotDef = slot;
  node.dataset.side = slot.side;
  return node;
};

/** A photo slot, after the server's copy when a rejected record is being fixed. */
export const photoSlotNodes = (slot: PhotoSlotDefinition, fixing: Draft['fixing']): HTMLElement[] => {
  const node = photoSlotNode(slot);
  const kept = fixing?.photos[slot.side];
  if (!kept) return [node];
  const figure = el(
    'figure',
    { className: 'kept-photo' },
    el('img', { src: kept.thumbnailUrl, alt: t('capture.onServer', { label: slot.label }) }),
    el('figcaption', { className: 'muted' }, t('capture.keptPhoto', { label: slot.label }))
  );
  figure.dataset.keptPhoto = slot.side;
  return [figure, node];
};

/** The photo slots in `root`. */
export const photoSlotsIn = (root: ParentNode) => [...root.querySelectorAll<PhotoSlot>('eas-photo-slot')];

/** Shows in each slot the photo the draft keeps for it. */
export const restorePhotos = (root: ParentNode, photos: Draft['photos']) => {
  for (const node of photoSlotsIn(root)) node.photo = photos[node.dataset.side!] ?? null;
};

/** The photos a record being captured has: those taken on the phone, and the server's while it is fixed. */
export const takenPhotos = (draft: Pick<Draft, 'photos' | 'fixing'>): Partial<Record<string, unknown>> => ({
  ...draft.fixing?.photos,
  ...draft.photos,
});

/**
 * Marks each of `nodes` whose required photo is not among `taken` (and clears the others); returns where focus goes
 * for each one missing, and the first photo field missing (front and back are not fields: they have no page).
 */
export const markMissingPhotos = (
  nodes: PhotoSlot[],
  definition: Pick<FormDefinition, 'photos' | 'signatures' | 'fields'>,
  taken: Partial<Record<string, unknown>>
): { focusables: HTMLElement[]; firstField: string | null } => {
  const missing = new Set(missingPhotos(definition, taken).map((slot) => slot.side));
  const focusables: HTMLElement[] = [];
  let firstField: string | null = null;
  for (const node of nodes) {
    const slot = node.slotDef;
    const message = missing.has(slot.side) ? t('capture.photoRequired', { label: slot.label }) : null;
    node.setError(message);
    if (!message) continue;
    if (isPhotoField(slot.side)) firstField ??= slot.side;
    focusables.push(node.focusTarget());
  }
  return { focusables, firstField };
};
