/**
 * The quality warnings of a photo the slot holds back (photo-slot.ts): one sentence per warning in the slot's alert
 * (announced as it is filled), and "Use anyway" when the form allows keeping the photo — else a line saying it must be
 * retaken. The decision itself is in lib/photo-check.ts.
 */
import { el } from '../lib/dom';
import { t } from '../lib/i18n';
import type { DraftPhoto } from '../lib/draft';
import { issueMessage, otherSide, type PhotoCheck } from '../lib/photo-check';

/** Shows the warnings of `check` in the slot `root`, or clears them (null). */
export const showQualityWarning = (root: HTMLElement, check: PhotoCheck | null) => {
  const lines = (check?.issues ?? []).map((issue) => t(issueMessage(issue)));
  if (check && !check.canOverride) lines.push(t('photoSlot.mustRetake'));
  root.querySelector<HTMLElement>('[data-quality]')!.replaceChildren(...lines.map((line) => el('p', {}, line)));
  root.querySelector<HTMLButtonElement>('[data-use-anyway]')!.hidden = !check?.canOverride;
};

/** The perceptual hash of the photo in the slot beside `node` for the other side (front ↔ back), when it has one. */
export const otherSideHash = (node: HTMLElement, side: string): string | null => {
  const other = otherSide(side);
  const slot = other
    ? node.parentElement?.querySelector<HTMLElement & { photo: DraftPhoto | null }>(`eas-photo-slot[data-side="${other}"]`)
    : null;
  return slot?.photo?.perceptualHash ?? null;
};
