/**
 * The photos a form version asks for: its front and back slots and each of its photo fields (named image questions
 * among the fields), as one list of slots keyed by `side` ("front", "back" or the field's key). One rule for the
 * server (uploads, what is missing, PDFs, exports) and the phone.
 */
import type { FieldDefinition, FormDefinition, PhotoSlotDefinition } from './contracts/form';

/** The default largest photo of a photo field (pixels), as for the slots. */
export const PHOTO_FIELD_MAX_PIXELS = 8_000_000;

const fieldSlot = (f: FieldDefinition): PhotoSlotDefinition => ({
  side: f.key,
  required: f.required,
  label: f.label,
  ...(f.help ? { hint: f.help } : {}),
  maxPixels: PHOTO_FIELD_MAX_PIXELS,
  ...(f.translations
    ? {
        translations: Object.fromEntries(
          Object.entries(f.translations).map(([lang, tr]) => [
            lang,
            { ...(tr.label ? { label: tr.label } : {}), ...(tr.help ? { hint: tr.help } : {}) },
          ])
        ),
      }
    : {}),
});

const cache = new WeakMap<object, PhotoSlotDefinition[]>();

/** Every photo slot of the version: front, back, then the photo fields in their order. */
export const photoSlots = (definition: Pick<FormDefinition, 'photos' | 'fields'>): PhotoSlotDefinition[] => {
  const cached = cache.get(definition);
  if (cached) return cached;
  const slots = [...definition.photos, ...(definition.fields ?? []).filter((f) => f.type === 'photo').map(fieldSlot)];
  cache.set(definition, slots);
  return slots;
};

export const photoSlot = (definition: Pick<FormDefinition, 'photos' | 'fields'>, side: string): PhotoSlotDefinition | undefined =>
  photoSlots(definition).find((p) => p.side === side);

/** Is the slot a photo field (drawn among the fields) rather than the front or back slot? */
export const isPhotoField = (side: string) => side !== 'front' && side !== 'back';
