/**
 * Before a record is reviewed: every answer, photo and signature is checked as the server will check it (a record
 * being fixed counts the server's photos, and its signatures while they endorse the content). Then the review shows
 * the record read back — its answers, and the photos and signatures that go with it.
 */
import type { FormDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { photoSlots } from '../../../cms/src/plugins/eas/shared/photo-slots';
import { draftContentHash, staleSignatures } from '../lib/content-hash';
import { el } from '../lib/dom';
import type { Draft } from '../lib/draft';
import { boundServerSignatures } from '../lib/fix-draft';
import { t } from '../lib/i18n';
import { recordListItems } from '../lib/record-lines';
import { markMissingPhotos, photoSlotsIn, takenPhotos } from './capture-photos';
import { markSignatures, signatureSlotsIn } from './capture-signatures';
import type { FormView } from './form-view';
import { WORDS } from './page-dates';

/**
 * Shows every problem in `root` (answers through the view, photos and signatures in their slots); returns where
 * focus goes for each, and the first field with one (null: only front/back photos or signatures).
 */
export const checkBeforeReview = async (
  root: ParentNode,
  view: FormView,
  definition: FormDefinition,
  draft: Draft,
  data: Draft['data']
): Promise<{ focusables: HTMLElement[]; firstKey: string | null }> => {
  const { result, focusables, firstKey } = view.showErrors();
  const current = draft.fixing ? await draftContentHash({ ...draft, data }, definition) : '';
  const bound = boundServerSignatures(draft, current);
  const photos = markMissingPhotos(photoSlotsIn(root), definition, takenPhotos(draft));
  focusables.push(...photos.focusables);
  // A signature given before the data or a photo changed no longer endorses the record: ask for it again.
  const stale = result.ok ? new Set(await staleSignatures({ ...draft, data }, definition)) : new Set<string>();
  focusables.push(...markSignatures(signatureSlotsIn(root), draft, { stale, bound }));
  return { focusables, firstKey: firstKey ?? photos.firstField };
};

const figure = (src: string, alt: string, caption: string) => el('figure', {}, el('img', { src, alt }), el('figcaption', {}, caption));

/** Fills the review's answer list and media (photos taken on the phone, else the server's; the signatures). */
export const renderReview = (list: HTMLElement, media: HTMLElement, definition: FormDefinition, draft: Draft, data: Draft['data']) => {
  list.replaceChildren(...recordListItems(definition, data, WORDS));
  for (const img of media.querySelectorAll('img')) URL.revokeObjectURL(img.src);
  media.replaceChildren();
  for (const slot of photoSlots(definition)) {
    const photo = draft.photos[slot.side];
    const kept = draft.fixing?.photos[slot.side];
    const alt = t('capture.reviewPhoto', { label: slot.label });
    if (photo) media.append(figure(URL.createObjectURL(photo.blob), alt, slot.label));
    else if (kept) media.append(figure(kept.thumbnailUrl, alt, t('capture.onServer', { label: slot.label })));
  }
  for (const slot of definition.signatures) {
    const sig = draft.signatures[slot.key];
    if (!sig) continue;
    const alt = t('capture.reviewSignature', { name: sig.signerName });
    media.append(figure(URL.createObjectURL(sig.png), alt, t('capture.signedBy', { name: sig.signerName, role: slot.role })));
  }
};
