/**
 * An in-memory stand-in for the records API, built on the server's own shared rules: idempotent create by clientId
 * (409 for a reused clientId, replays compared in canonical JSON), per-field 400s from the shared validator,
 * same-bytes replay of uploads, signatures accepted only over the content the server holds (shared/integrity.ts),
 * explicit submission once nothing is outstanding (shared/record-rules.ts), locking afterwards — and a faulty
 * network in front of it.
 */
import type { FormDefinition } from '../../../../cms/src/plugins/eas/shared/contracts/form';
import type { CreateRecord, RecordView } from '../../../../cms/src/plugins/eas/shared/contracts/record';
import { canonical, contentDocument } from '../../../../cms/src/plugins/eas/shared/integrity';
import { recordSummary } from '../../../../cms/src/plugins/eas/shared/display';
import { completeOnArrival, describeOutstanding, isComplete, outstanding } from '../../../../cms/src/plugins/eas/shared/record-rules';
import { ApiError, toApiError } from '../api-error';
import type { PhotoUpload, RecordResult, SignatureUpload, UploadOptions } from '../api';
import { sha256Hex } from '../hash';
import type { SyncApi } from '../queue';
import { createRecordValidator } from '../validation';

export const definition: FormDefinition = {
  slug: 'inspection',
  name: 'Site inspection',
  fields: [
    { key: 'site', label: 'Site name', type: 'text', required: true },
    { key: 'score', label: 'Score', type: 'number', required: false, min: 0, max: 10 },
  ],
  photos: [
    { side: 'front', required: true, label: 'Front of the meter', maxPixels: 4_000_000 },
    { side: 'back', required: false, label: 'Back of the meter', maxPixels: 4_000_000 },
  ],
  signatures: [{ key: 'inspector', role: 'inspector', consentText: 'I confirm this inspection.', required: true }],
  pdf: {},
};

interface StoredRecord {
  view: RecordView;
  payload: string;
  photoBytes: Map<string, string>;
  signatureBytes: Map<string, string>;
}

type Call = 'createRecord' | 'updateRecord' | 'putPhoto' | 'putSignature' | 'getRecord' | 'submitRecord';

/** What the network does to one call: lose it, lose its answer, send it twice, or answer with an error status. */
export type Fault = 'offline' | 'drop-response' | 'duplicate' | { status: number; message?: string };

const apiError = (status: number, message: string, details?: unknown) =>
  toApiError(status, { error: { status, message, ...(details ? { details } : {}) } });

export class FakeServer {
  readonly records = new Map<string, StoredRecord>();
  /** Every call that reached the server, in order ("putPhoto front", …). */
  readonly log: string[] = [];
  private seq = 0;
  /** One call at a time, as the server's transactions make them appear. */
  private queue: Promise<unknown> = Promise.resolve();
  archived = false;

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  constructor(readonly form: FormDefinition = definition) {}

  get recordCount() {
    return this.records.size;
  }

  byClientId(clientId: string) {
    return this.records.get(clientId)?.view;
  }

  private byDocumentId(documentId: string): StoredRecord {
    const found = [...this.records.values()].find((r) => r.view.documentId === documentId);
    if (!found) throw apiError(404, 'Not found');
    return found;
  }

  private async contentHash(r: StoredRecord) {
    const v = r.view;
    const text = contentDocument({
      clientId: v.clientId,
      form: v.form.slug,
      formVersion: v.form.version,
      data: v.data,
      capturedAt: v.capturedAt,
      location: v.location,
      photos: v.photos.map((p) => ({ side: p.side, sha256: p.receivedSha256 ?? '' })),
    });
    return sha256Hex(new TextEncoder().encode(text));
  }

  private async refresh(r: StoredRecord) {
    const contentHash = await this.contentHash(r);
    const signatures = r.view.signatures.map((s) => ({ ...s, bound: s.contentHash === contentHash }));
    r.view = { ...r.view, contentHash, signatures, missing: outstanding(this.form, r.view, contentHash) };
  }

  createRecord(body: CreateRecord.Request): Promise<RecordResult> {
    return this.serial(() => this.#createRecord(body));
  }

  async #createRecord(body: CreateRecord.Request): Promise<RecordResult> {
    this.log.push('createRecord');
    const payload = canonical(body);
    if (this.archived) throw apiError(409, `The form "${this.form.slug}" is archived and accepts no new records`, { form: this.form.slug });
    const existing = this.records.get(body.clientId);
    if (existing) {
      if (existing.payload !== payload) {
        throw apiError(409, `The clientId ${body.clientId} was already used for a record with different content.`, {
          clientId: body.clientId,
        });
      }
      return { record: existing.view, created: false };
    }
    const result = createRecordValidator(this.form)(body.data);
    if (!result.ok) {
      throw apiError(400, result.errors.map((e) => e.message).join('; '), {
        errors: result.errors.map((e) => ({ ...e, path: ['data', e.key] })),
      });
    }
    this.seq += 1;
    const stored: StoredRecord = {
      payload,
      photoBytes: new Map(),
      signatureBytes: new Map(),
      view: {
        documentId: `doc${this.seq}`,
        reference: `EAS-2026-${String(this.seq).padStart(6, '0')}`,
        clientId: body.clientId,
        form: { slug: this.form.slug, name: this.form.name, version: body.formVersion },
        status: completeOnArrival(this.form) ? 'submitted' : 'draft',
        data: result.data,
        capturedAt: body.capturedAt,
        submittedAt: null,
        reviewedAt: null,
        reviewComment: null,
        location: body.location ?? null,
        createdAt: new Date(0).toISOString(),
        updatedAt: new Date(0).toISOString(),
        missing: { photos: [], signatures: [], staleSignatures: [] },
        contentHash: '',
        photos: [],
        signatures: [],
        integrityHash: null,
        redactedAt: null,
        summary: recordSummary(this.form, result.data),
      },
    };
    await this.refresh(stored);
    this.records.set(body.clientId, stored);
    return { record: stored.view, created: true };
  }

  putPhoto(documentId: string, side: 'front' | 'back', photo: PhotoUpload): Promise<RecordResult> {
    return this.serial(() => this.#putPhoto(documentId, side, photo));
  }

  async #putPhoto(documentId: string, side: 'front' | 'back', photo: PhotoUpload): Promise<RecordResult> {
    this.log.push(`putPhoto ${side}`);
    const r = this.byDocumentId(documentId);
    const received = await sha256Hex(photo.file);
    if (r.photoBytes.get(side) === received) return { record: r.view, created: false };
    if (r.view.status !== 'draft' && r.view.status !== 'rejected') {
      throw apiError(409, `Record ${r.view.reference} is ${r.view.status}; its photos can no longer be changed`);
    }
    const created = !r.photoBytes.has(side);
    r.photoBytes.set(side, received);
    const view = {
      side,
      width: 10,
      height: 10,
      bytes: photo.file.size,
      sha256: `stored-${received.slice(0, 16)}`,
      originalSha256: photo.originalSha256,
      receivedSha256: received,
      takenAt: photo.metadata?.takenAt ?? null,
      url: '',
      thumbnailUrl: '',
    };
    r.view = { ...r.view, photos: [...r.view.photos.filter((p) => p.side !== side), view] };
    await this.refresh(r);
    return { record: r.view, created };
  }

  putSignature(documentId: string, slot: string, signature: SignatureUpload): Promise<RecordResult> {
    return this.serial(() => this.#putSignature(documentId, slot, signature));
  }

  async #putSignature(documentId: string, slot: string, signature: SignatureUpload): Promise<RecordResult> {
    this.log.push(`putSignature ${slot}`);
    const r = this.byDocumentId(documentId);
    const received = await sha256Hex(signature.file);
    if (r.signatureBytes.get(slot) === received) return { record: r.view, created: false };
    if (r.view.status !== 'draft' && r.view.status !== 'rejected') throw apiError(409, `Record ${r.view.reference} is ${r.view.status}`);
    if (signature.contentHash !== r.view.contentHash) {
      throw apiError(409, `The signature endorses other content than record ${r.view.reference} holds`, {
        code: 'signature_content_mismatch',
        slot,
      });
    }
    // As the server: the very same image on another record (or slot) is a copy, not a signature.
    const copied = [...this.records.values()].some((other) =>
      [...other.signatureBytes].some(([s, bytes]) => bytes === received && (other !== r || s !== slot))
    );
    if (copied) throw apiError(409, 'This signature was already given', { code: 'signature_reused', slot });
    const created = !r.signatureBytes.has(slot);
    r.signatureBytes.set(slot, received);
    const view = {
      slot,
      role: 'inspector',
      signerName: signature.signerName,
      signedAt: signature.signedAt,
      sha256: `sig-${received.slice(0, 16)}`,
      contentHash: signature.contentHash,
      bound: true,
      url: '',
    };
    r.view = { ...r.view, signatures: [...r.view.signatures.filter((s) => s.slot !== slot), view] };
    await this.refresh(r);
    return { record: r.view, created };
  }

  /** An editor rejects a submitted record (the admin's review action). */
  reject(clientId: string, comment: string) {
    const r = this.records.get(clientId)!;
    r.view = { ...r.view, status: 'rejected', reviewComment: comment, reviewedAt: new Date(0).toISOString() };
  }

  updateRecord(documentId: string, change: { data?: Record<string, unknown> }): Promise<RecordView> {
    return this.serial(() => this.#updateRecord(documentId, change));
  }

  async #updateRecord(documentId: string, change: { data?: Record<string, unknown> }): Promise<RecordView> {
    this.log.push('updateRecord');
    const r = this.byDocumentId(documentId);
    if (r.view.status !== 'draft' && r.view.status !== 'rejected') {
      throw apiError(409, `Record ${r.view.reference} is ${r.view.status}; only drafts and rejected records can be changed`);
    }
    if (change.data) {
      const result = createRecordValidator(this.form)(change.data);
      if (!result.ok)
        throw apiError(400, result.errors.map((e) => e.message).join('; '), {
          errors: result.errors.map((e) => ({ ...e, path: ['data', e.key] })),
        });
      r.view = { ...r.view, data: result.data, summary: recordSummary(this.form, result.data) };
    }
    await this.refresh(r);
    return r.view;
  }

  async getRecord(documentId: string): Promise<RecordView> {
    this.log.push('getRecord');
    return this.byDocumentId(documentId).view;
  }

  submitRecord(documentId: string): Promise<RecordView> {
    return this.serial(() => this.#submitRecord(documentId));
  }

  async #submitRecord(documentId: string): Promise<RecordView> {
    this.log.push('submitRecord');
    const r = this.byDocumentId(documentId);
    if (r.view.status === 'submitted') return r.view;
    if (!isComplete(r.view.missing)) {
      throw apiError(409, `Record ${r.view.reference} cannot be submitted yet: ${describeOutstanding(r.view.missing, this.form)}`, {
        missing: r.view.missing,
      });
    }
    if (r.view.status === 'draft' || r.view.status === 'rejected')
      r.view = { ...r.view, status: 'submitted', submittedAt: new Date(0).toISOString() };
    return r.view;
  }
}

/** The network between the device and the fake server, with faults planned per call. */
export const faultyApi = (server: FakeServer) => {
  const planned = new Map<Call, Fault[]>();
  let offline = false;
  const calls: Call[] = [];

  const through = async <T>(call: Call, run: () => Promise<T>): Promise<T> => {
    calls.push(call);
    if (offline) throw new ApiError('offline', 'No connection to the server. Your work is kept on this device.');
    const fault = planned.get(call)?.shift();
    if (fault === 'offline') throw new ApiError('offline', 'No connection to the server. Your work is kept on this device.');
    if (typeof fault === 'object') throw apiError(fault.status, fault.message ?? 'refused');
    if (fault === 'drop-response') {
      await run();
      throw new ApiError('offline', 'No connection to the server. Your work is kept on this device.');
    }
    if (fault === 'duplicate') {
      const [, second] = await Promise.all([run(), run()]);
      return second;
    }
    return run();
  };

  const api: SyncApi = {
    createRecord: (body) => through('createRecord', () => server.createRecord(body)),
    putPhoto: (id, side, photo, options: UploadOptions = {}) =>
      through('putPhoto', async () => {
        options.onProgress?.(0.5);
        const result = await server.putPhoto(id, side, photo);
        options.onProgress?.(1);
        return result;
      }),
    putSignature: (id, slot, signature, options: UploadOptions = {}) =>
      through('putSignature', async () => {
        options.onProgress?.(1);
        return server.putSignature(id, slot, signature);
      }),
    updateRecord: (id, change) => through('updateRecord', () => server.updateRecord(id, change)),
    getRecord: (id) => through('getRecord', () => server.getRecord(id)),
    submitRecord: (id) => through('submitRecord', () => server.submitRecord(id)),
  };

  return {
    api,
    calls,
    plan(call: Call, ...faults: Fault[]) {
      planned.set(call, [...(planned.get(call) ?? []), ...faults]);
    },
    setOffline(value: boolean) {
      offline = value;
    },
  };
};
