/**
 * The phone's photo quality check, right after a photo is taken: the shared measures (shared/photo-quality.ts, the
 * same the server stores) on a 512 px copy, against the slot's requirements and the other side's photo. Pure
 * (checkPixels) so unit tests run it under Node; photo-check.worker.ts runs it off the main thread and
 * run-photo-check.ts talks to the worker. What the slot does with the answer (hold the photo back, "Use anyway") is
 * here too: photo-slot-quality.ts only draws it.
 */
import type { PhotoSlotDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import {
  dHash,
  measure,
  qualityIssues,
  toGrey,
  type QualityIssue,
  type QualityMeasures,
} from '../../../cms/src/plugins/eas/shared/photo-quality';
import type { PhotoMetadata } from '../../../cms/src/plugins/eas/shared/contracts/record';
import type { MessageKey } from '../i18n/types';

export interface PhotoCheck {
  issues: QualityIssue[];
  measures: QualityMeasures;
  /** dHash of this photo, compared with the other side's; null when featureless. */
  hash: string | null;
  /** Whether the form lets the person keep the photo anyway (recorded as metadata.qualityOverride). */
  canOverride: boolean;
}

export interface CheckInput {
  /** RGBA pixels of the downscaled copy (canvas ImageData). */
  rgba: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /** Size of the photo as it will be uploaded. */
  size: { width: number; height: number };
  slot: Pick<PhotoSlotDefinition, 'minWidth' | 'minHeight' | 'minMegapixels' | 'allowOverride'>;
  otherSideHash: string | null;
}

export const checkPixels = (input: CheckInput): PhotoCheck => {
  const grey = toGrey(input.rgba, input.width, input.height);
  const measures = measure(grey);
  const hash = dHash(grey);
  return {
    issues: qualityIssues(measures, input.size, input.slot, { mine: hash, other: input.otherSideHash }),
    measures,
    hash,
    canOverride: input.slot.allowOverride !== false,
  };
};

/** The message of each warning (site/src/i18n, every language). */
export const issueMessage = (issue: QualityIssue): MessageKey => `photoSlot.quality.${issue}` as MessageKey;

/** What the page sends the worker: the small copy (or the photo itself to decode), and what to check it against. */
export type CheckRequest = Omit<CheckInput, 'rgba' | 'width' | 'height'> & { id: number; source: ImageBitmap | Blob };
export type CheckReply = { id: number; check: PhotoCheck } | { id: number; error: string };

/**
 * The side a photo is compared with: front and back are two sides of one thing (the server flags a back that repeats
 * the front the same way); photo fields are compared with nothing.
 */
export const otherSide = (side: string): 'front' | 'back' | null => (side === 'front' ? 'back' : side === 'back' ? 'front' : null);

/** A check that holds the photo back until the person retakes it or (when the form allows) chooses "Use anyway". */
export const needsDecision = (check: PhotoCheck | null): check is PhotoCheck => Boolean(check?.issues.length);

/**
 * The metadata sent with a photo the person kept with warnings: the warnings overridden, as the server stores them
 * (quality.overridden). Nothing is recorded when the form allows no override.
 */
export const withOverride = (metadata: PhotoMetadata, check: PhotoCheck): PhotoMetadata =>
  check.canOverride && check.issues.length ? { ...metadata, qualityOverride: [...check.issues] } : metadata;
