/**
 * The content hash a signature endorses, computed on the phone exactly as the server computes it from what it
 * stores (shared/integrity.ts): the data as the shared validator normalises it, the capture time and place, and the
 * SHA-256 of each photo file as it will be uploaded. The server refuses a signature whose hash differs.
 */
import type { FormDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { contentDocument } from '../../../cms/src/plugins/eas/shared/integrity';
import { validateCapture } from './capture-form';
import type { Draft } from './draft';
import { photoHashesOf } from './fix-draft';
import { sha256Hex } from './hash';

export const draftContentHash = async (
  draft: Pick<Draft, 'clientId' | 'form' | 'data' | 'capturedAt' | 'location' | 'photos' | 'fixing'>,
  definition: Pick<FormDefinition, 'fields'>
): Promise<string> => {
  const checked = validateCapture(definition, draft.data, { today: draft.capturedAt.slice(0, 10) });
  // A record being fixed: the photos the server keeps count until they are taken again.
  const photos = await photoHashesOf(draft, sha256Hex);
  const text = contentDocument({
    clientId: draft.clientId,
    form: draft.form.slug,
    formVersion: draft.form.version,
    data: checked.ok ? checked.data : draft.data,
    capturedAt: draft.capturedAt,
    location: draft.location ?? null,
    photos,
  });
  return sha256Hex(new TextEncoder().encode(text));
};

/** The signatures of a draft that endorse other content than the draft holds now (they must be given again). */
export const staleSignatures = async (draft: Draft, definition: Pick<FormDefinition, 'fields'>): Promise<string[]> => {
  const current = await draftContentHash(draft, definition);
  return Object.entries(draft.signatures)
    .filter(([, s]) => s.contentHash !== current)
    .map(([slot]) => slot);
};
