/**
 * What a record still needs before it can be submitted — one rule for the server, the capture site and the tests.
 * A signature counts only while it endorses the record's current content: it carries the content hash the phone
 * computed when the person signed (shared/integrity.ts), and any later change of the data or a photo makes it stale.
 */
import type { FormDefinition } from './contracts/form';
import { photoSlot, photoSlots } from './photo-slots';

export interface Outstanding {
  /** Required photo slots not taken yet ("front", "back" or a photo field's key). */
  photos: string[];
  /** Required signature slots not given yet, or given over content that has changed since (sign again). */
  signatures: string[];
  /** Every given signature (required or not) that endorses other content than the record holds now. */
  staleSignatures: string[];
}

export const outstanding = (
  definition: Pick<FormDefinition, 'photos' | 'signatures' | 'fields'>,
  record: { photos: { side: string }[]; signatures: { slot: string; contentHash: string | null }[] },
  contentHash: string
): Outstanding => {
  const stale = record.signatures.filter((s) => s.contentHash !== contentHash).map((s) => s.slot);
  return {
    photos: photoSlots(definition)
      .filter((p) => p.required && !record.photos.some((x) => x.side === p.side))
      .map((p) => p.side),
    signatures: definition.signatures
      .filter((s) => s.required && (!record.signatures.some((x) => x.slot === s.key) || stale.includes(s.key)))
      .map((s) => s.key),
    staleSignatures: stale,
  };
};

/**
 * A record of a form without any photo (slot or photo field) or signature is complete when it arrives: it is
 * submitted at once. With any of them it stays a draft until the device submits it, once they are in.
 */
export const completeOnArrival = (definition: Pick<FormDefinition, 'photos' | 'signatures' | 'fields'>) =>
  photoSlots(definition).length === 0 && definition.signatures.length === 0;

export const isComplete = (o: Outstanding) => !o.photos.length && !o.signatures.length && !o.staleSignatures.length;

/** Why a record cannot be submitted, in words (the API's 409 message). */
export const describeOutstanding = (o: Outstanding, definition: Pick<FormDefinition, 'photos' | 'signatures' | 'fields'>): string => {
  const role = (slot: string) => definition.signatures.find((s) => s.key === slot)?.role ?? slot;
  const photo = (side: string) => {
    const label = photoSlot(definition, side)?.label;
    if (side !== 'front' && side !== 'back') return `the photo "${label ?? side}" ("${side}")`;
    return label && !/photo/i.test(label) ? `the ${side} photo ("${label}")` : `the ${side} photo`;
  };
  const parts = [
    ...o.photos.map(photo),
    ...o.signatures.filter((s) => !o.staleSignatures.includes(s)).map((s) => `the signature of the ${role(s)} ("${s}")`),
  ];
  const stale = o.staleSignatures.map(
    (s) =>
      `the signature of the ${role(s)} ("${s}") was given over different content: the data or a photo changed after signing, so it must be given again`
  );
  return [parts.length ? `missing ${parts.join(', ')}` : '', ...stale].filter(Boolean).join('; ');
};
