/**
 * PAdES seal of an evidence PDF, applied after Chromium printed it (docs/sealing.md): a signature dictionary with
 * SubFilter ETSI.CAdES.detached over the whole file except its /Contents, holding a CMS SignedData made with the
 * EAS sealing key (signed attributes content-type, message-digest and signing-certificate-v2), plus — when a TSA is
 * configured — an RFC 3161 signature timestamp as the unsigned attribute id-aa-signatureTimeStampToken (PAdES B-T;
 * without a TSA the seal is B-B). Libraries: pdf-lib + @signpdf/placeholder-pdf-lib for the signature dictionary
 * and its ByteRange placeholder, pkijs + asn1js for the CMS and the timestamp (utils/tsa-client.ts).
 */
import { createHash } from 'crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PDFDocument } from 'pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { DEFAULT_BYTE_RANGE_PLACEHOLDER, SUBFILTER_ETSI_CADES_DETACHED, findByteRange, removeTrailingNewLine } from '@signpdf/utils';
import type { SealIdentity } from './seal-cert';
import { requestTimestamp, timestampTime, type TsaOptions } from './tsa-client';

/** Bytes reserved for the CMS (hex-encoded twice that in the file): chain + timestamp token fit with room to spare. */
const SIGNATURE_BYTES = 16_384;
const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
};

export interface PdfSealer {
  /** 'B-T' with a TSA, 'B-B' without. */
  level: 'B-T' | 'B-B';
  /** SHA-256 (hex) of the sealing certificate: how a PDF sealed by this EAS is told from one sealed by anyone else. */
  certificateSha256: string;
  seal(pdf: Buffer, info?: { reason?: string; signingTime?: Date }): Promise<Buffer>;
}

/** ESS signing-certificate-v2 (RFC 5035): SHA-256 of the signing certificate (the default algorithm, so omitted) and its issuer/serial. */
const signingCertificateV2 = (cert: pkijs.Certificate) => {
  const certHash = createHash('sha256')
    .update(Buffer.from(cert.toSchema(true).toBER(false)))
    .digest();
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })] }),
      cert.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: certHash }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
};

/** The detached CAdES signature (DER) over `content`. */
export const cadesSignature = async (content: Buffer, identity: SealIdentity, tsa: TsaOptions | null): Promise<Buffer> => {
  const [cert] = identity.chain;
  const digest = createHash('sha256').update(content).digest();
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({
      type: 0,
      attributes: [
        new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
        new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: digest })] }),
        new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(cert)] }),
      ],
    }),
  });
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [signerInfo],
    certificates: identity.chain,
  });
  await signed.sign(identity.privateKey as never, 0, identity.hash);
  if (tsa) {
    const token = await requestTimestamp(signerInfo.signature.valueBlock.valueHexView, tsa);
    signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [new pkijs.Attribute({ type: OID.signatureTimeStampToken, values: [token.toSchema()] })],
    });
  }
  const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signed.toSchema(true) });
  return Buffer.from(info.toSchema().toBER(false));
};

/** SHA-256 (hex) of a certificate's DER. */
export const certificateSha256 = (cert: pkijs.Certificate) =>
  createHash('sha256')
    .update(Buffer.from(cert.toSchema(true).toBER(false)))
    .digest('hex');

export const createPdfSealer = (identity: SealIdentity, tsa: TsaOptions | null): PdfSealer => ({
  level: tsa ? 'B-T' : 'B-B',
  certificateSha256: certificateSha256(identity.chain[0]),
  async seal(pdf, info = {}) {
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    const cn = identity.chain[0].subject.typesAndValues.find((t) => t.type === '2.5.4.3')?.value.valueBlock.value ?? 'EAS';
    pdflibAddPlaceholder({
      pdfDoc: doc,
      reason: info.reason ?? 'EAS evidence record seal',
      contactInfo: '',
      name: String(cn),
      location: '',
      signingTime: info.signingTime ?? new Date(),
      signatureLength: SIGNATURE_BYTES,
      subFilter: SUBFILTER_ETSI_CADES_DETACHED,
      appName: 'EAS',
    });
    let bytes = removeTrailingNewLine(Buffer.from(await doc.save({ useObjectStreams: false })));
    // Fill in the ByteRange, then sign everything but the /Contents hex string (as @signpdf/signpdf does).
    const { byteRangePlaceholder, byteRangePlaceholderPosition } = findByteRange(bytes, DEFAULT_BYTE_RANGE_PLACEHOLDER);
    if (!byteRangePlaceholder || byteRangePlaceholderPosition === undefined)
      throw new Error('the seal placeholder is missing from the PDF');
    const byteRangeEnd = byteRangePlaceholderPosition + byteRangePlaceholder.length;
    const contentsStart = bytes.indexOf('<', bytes.indexOf('/Contents ', byteRangeEnd));
    const contentsEnd = bytes.indexOf('>', contentsStart) + 1;
    const range = [0, contentsStart, contentsEnd, bytes.length - contentsEnd];
    const actual = `/ByteRange [${range.join(' ')}]`.padEnd(byteRangePlaceholder.length, ' ');
    bytes = Buffer.concat([bytes.subarray(0, byteRangePlaceholderPosition), Buffer.from(actual), bytes.subarray(byteRangeEnd)]);
    const signature = await cadesSignature(Buffer.concat([bytes.subarray(0, contentsStart), bytes.subarray(contentsEnd)]), identity, tsa);
    const hex = signature.toString('hex');
    if (hex.length > contentsEnd - contentsStart - 2)
      throw new Error(`the seal (${signature.length} bytes) does not fit its ${SIGNATURE_BYTES}-byte placeholder`);
    return Buffer.concat([
      bytes.subarray(0, contentsStart + 1),
      Buffer.from(hex.padEnd(contentsEnd - contentsStart - 2, '0')),
      bytes.subarray(contentsEnd - 1),
    ]);
  },
});

export interface SealCheck {
  /** The CMS signature verifies over the byte ranges, which cover the whole file but the signature itself. */
  valid: boolean;
  wholeDocument: boolean;
  signer: string | null;
  /** SHA-256 (hex) of the signing certificate. */
  certificateSha256: string | null;
  /** genTime of the signature timestamp, when there is one. */
  timestampedAt: Date | null;
  reason?: string;
}

/** The CMS of a /Contents value: its DER, then zero padding (which may not be stripped blindly: DER can end in 00). */
export const cmsSchema = (contents: Buffer) => {
  const parsed = asn1js.fromBER(new Uint8Array(contents));
  if (parsed.offset === -1) throw new Error(parsed.result.error);
  return parsed.result;
};

/** Our own check of a sealed PDF (the last signature): used by tests and the verify page. */
export const checkPdfSeal = async (pdf: Buffer): Promise<SealCheck> => {
  const none: SealCheck = { valid: false, wholeDocument: false, signer: null, certificateSha256: null, timestampedAt: null };
  const text = pdf.toString('latin1');
  const matches = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  if (!matches.length) return { ...none, reason: 'the PDF carries no seal' };
  const [a, b, c, d] = matches[matches.length - 1].slice(1).map(Number);
  const wholeDocument = a === 0 && c + d === pdf.length && c > b;
  try {
    const info = new pkijs.ContentInfo({ schema: cmsSchema(Buffer.from(text.slice(b + 1, c - 1), 'hex')) });
    const signed = new pkijs.SignedData({ schema: info.content });
    const data = new Uint8Array(Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)])).buffer;
    const result = await signed
      .verify({ signer: 0, data, checkChain: false, extendedMode: true })
      .catch(() => ({ signatureVerified: false, signerCertificate: undefined }));
    const cert = (result as { signerCertificate?: pkijs.Certificate }).signerCertificate ?? null;
    const attr = signed.signerInfos[0].unsignedAttrs?.attributes.find((x) => x.type === OID.signatureTimeStampToken);
    return {
      valid: Boolean((result as { signatureVerified?: boolean }).signatureVerified) && wholeDocument,
      wholeDocument,
      signer: cert ? String(cert.subject.typesAndValues.find((t) => t.type === '2.5.4.3')?.value.valueBlock.value ?? '') : null,
      certificateSha256: cert ? certificateSha256(cert) : null,
      timestampedAt: attr ? timestampTime(new pkijs.ContentInfo({ schema: attr.values[0] })) : null,
    };
  } catch (err) {
    return { ...none, wholeDocument, reason: `the seal does not parse (${(err as Error).message})` };
  }
};
