/**
 * The phone's photo quality check, right after a photo is taken: the shared measures (shared/photo-quality.ts, the
 * same the server stores) on a 512 px copy, against the slot's requirements and the other side's photo. Pure
 * (checkPixels) so unit tests run it under Node; photo-check.worker.ts runs it off the main thread.
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
