/**
 * How the admin names the parts of a record in sentences ("the recorded information", "signature of the client"):
 * for the integrity findings and the history. Pure, given the translate function of hooks/useT.
 */
import type { IntegrityFinding, RecordDetails } from '../../../shared/contracts/record';
import type { Translate } from '../hooks/useT';

/** The role a signature slot was given in the form ("Site manager"), else the slot's key. */
export const signatureRole = (details: Pick<RecordDetails, 'signatures'>, slot: string) =>
  details.signatures.find((s) => s.slot === slot)?.role || slot;

/** "the front photo", "the back photo", or the side's name for any other. */
export const photoName = (side: string, t: Translate) =>
  side === 'front'
    ? t('words.photo.front', 'the front photo')
    : side === 'back'
      ? t('words.photo.back', 'the back photo')
      : t('words.photo.other', 'the photo “{side}”', { side });

const PART_WORDS: Record<string, [string, string]> = {
  identity: ['words.part.identity', 'its reference or device id'],
  data: ['words.part.data', 'the recorded information'],
  status: ['words.part.status', 'its status'],
  owner: ['words.part.owner', 'who captured it'],
  form: ['words.part.form', 'the form it was captured on'],
  'integrity-hash': ['words.part.integrity-hash', 'its integrity hash'],
  history: ['words.part.history', 'its history'],
};

/** A part the integrity check names (`data`, `photo:front`, `signature:client`, …) in words. */
export const partName = (part: string, details: Pick<RecordDetails, 'signatures'>, t: Translate) => {
  const colon = part.indexOf(':');
  const kind = colon < 0 ? part : part.slice(0, colon);
  const name = colon < 0 ? '' : part.slice(colon + 1);
  if (kind === 'photo' && name) return photoName(name, t);
  if (kind === 'signature' && name) return t('words.part.signature', 'signature of the {role}', { role: signatureRole(details, name) });
  const words = PART_WORDS[part];
  return words ? t(words[0], words[1]) : part;
};

const PROBLEM_WORDS: Record<IntegrityFinding['problem'], [string, string] | null> = {
  changed: null,
  file: ['words.problem.file', '{part} (stored file changed)'],
  missing: ['words.problem.missing', '{part} (missing)'],
  unrecorded: ['words.problem.unrecorded', '{part} (never recorded by EAS)'],
  chain: ['words.problem.chain', '{part} (entries of the audit chain were altered)'],
  unbound: ['words.problem.unbound', '{part} (does not endorse the record as it is)'],
};

/** One finding in plain words: "the recorded information", "the front photo (stored file changed)". */
export const findingText = (finding: IntegrityFinding, details: Pick<RecordDetails, 'signatures'>, t: Translate) => {
  const part = partName(finding.part, details, t);
  const words = PROBLEM_WORDS[finding.problem];
  return words ? t(words[0], words[1], { part }) : part;
};
