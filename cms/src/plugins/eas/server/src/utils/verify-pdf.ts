/**
 * What an uploaded evidence PDF says about itself, checked: is it sealed, by this EAS (its sealing certificate),
 * over the whole file, and when was it timestamped; and which record (reference) and integrity hash it carries. The
 * reference and hash are read from the document's information (set before sealing, so covered by the seal): they
 * are trusted only when the seal is this EAS's and valid. Pure apart from parsing; no network.
 */
import { PDFDocument } from 'pdf-lib';
import { checkPdfSeal } from './pdf-seal';

export type SealVerdict = 'valid' | 'foreign' | 'invalid' | 'missing';

export interface PdfInspection {
  /** valid: sealed by this EAS, whole file unchanged; foreign: a valid seal by another certificate; invalid: the
   * seal does not verify (the file was changed after sealing, or the seal is damaged); missing: no seal at all. */
  seal: SealVerdict;
  signer: string | null;
  timestampedAt: string | null;
  /** From the document information; null when absent or when the seal is not this EAS's valid one. */
  reference: string | null;
  hash: string | null;
}

const SUBJECT = /Evidence record (EAS-\d{4}-\d{6,}) .*; integrity ([a-f0-9]{64})/;

/** A PDF starts with its header (readers accept junk before it; a verifier need not). */
export const isPdf = (bytes: Buffer) => /^\s*%PDF-\d/.test(bytes.subarray(0, 64).toString('latin1'));

export const inspectPdf = async (pdf: Buffer, ourCertificateSha256: string): Promise<PdfInspection> => {
  const check = await checkPdfSeal(pdf);
  const seal: SealVerdict =
    check.certificateSha256 === null && !check.valid && check.reason === 'the PDF carries no seal'
      ? 'missing'
      : !check.valid
        ? 'invalid'
        : check.certificateSha256 !== ourCertificateSha256
          ? 'foreign'
          : 'valid';
  let reference: string | null = null;
  let hash: string | null = null;
  if (seal === 'valid') {
    try {
      const doc = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: false });
      const m = SUBJECT.exec(doc.getSubject() ?? '');
      if (m) [reference, hash] = [m[1], m[2]];
    } catch {
      // A sealed file pdf-lib cannot read: the seal is still reported; the record cannot be named.
    }
  }
  return {
    seal,
    signer: check.signer,
    timestampedAt: check.timestampedAt ? check.timestampedAt.toISOString() : null,
    reference,
    hash,
  };
};
