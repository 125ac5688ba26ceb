/**
 * The quality verdict stored with a photo: its measures against the slot's requirements, the other side's photo,
 * the other records' photos (near-duplicates) and the record's capture time and place (consistency).
 */
import type { PhotoSlotDefinition } from '../../../shared/contracts/form';
import type { PhotoMetadata, PhotoQuality } from '../../../shared/contracts/record';
import { consistencyFlags, isNearDuplicate, qualityIssues, type ConsistencyLimits, type PhotoFlag } from '../../../shared/photo-quality';
import type { PhotoAnalysis } from './photo-quality';

export interface VerdictInput {
  analysis: PhotoAnalysis;
  /** Size of the photo as received (what the slot's minimum resolution is about). */
  size: { width: number; height: number };
  slot: PhotoSlotDefinition;
  metadata: PhotoMetadata | null;
  record: { capturedAt: string; location: { lat: number; lng: number } | null };
  otherSideHash: string | null;
  /** Perceptual hashes of other records' photos, with their record's reference. */
  others: { hash: string; reference: string }[];
  limits: ConsistencyLimits;
}

export const photoVerdict = (v: VerdictInput): PhotoQuality => {
  const { measures, hash } = v.analysis;
  const duplicateOf = hash ? [...new Set(v.others.filter((o) => isNearDuplicate(hash, o.hash)).map((o) => o.reference))].sort() : [];
  const flags: PhotoFlag[] = [
    ...qualityIssues(measures, v.size, v.slot, { mine: hash, other: v.otherSideHash }),
    ...consistencyFlags({ takenAt: v.metadata?.takenAt, gps: v.metadata?.gps }, v.record, v.limits),
    ...(duplicateOf.length ? (['duplicate_of_other_record'] as const) : []),
  ];
  // A slot that allows no override records none (the phone offers none there).
  const overridden = v.slot.allowOverride === false ? [] : [...(v.metadata?.qualityOverride ?? [])];
  return { measures: { ...measures, ...v.size }, flags, duplicateOf, overridden };
};

/** ",blurred,dark," — a flag is found with $contains ",blurred," on SQLite and PostgreSQL alike. */
export const flagsColumn = (flags: PhotoFlag[]) => (flags.length ? `,${flags.join(',')},` : null);
