/**
 * The record lifecycle, in one place:
 *   draft ──(all required media present, or explicit submit)──▶ submitted ──(editor)──▶ approved | rejected
 *   rejected ──(owner fixes and submits again)──▶ submitted
 * Drafts and rejected records can be changed by their owner; submitted and approved ones cannot.
 */
import type { RecordStatus } from './contracts/record';

export type Actor = 'field-staff' | 'admin' | 'system';

const TRANSITIONS: Record<RecordStatus, Partial<Record<RecordStatus, Actor[]>>> = {
  draft: { submitted: ['field-staff', 'system'] },
  submitted: { approved: ['admin'], rejected: ['admin'] },
  rejected: { submitted: ['field-staff'] },
  approved: {},
};

export const canTransition = (from: RecordStatus, to: RecordStatus, actor: Actor) => TRANSITIONS[from][to]?.includes(actor) ?? false;

/** Whether the owner may still change data and media. */
export const isEditable = (status: RecordStatus) => status === 'draft' || status === 'rejected';
