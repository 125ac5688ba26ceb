/**
 * RFC 3161 client: asks the Time-Stamping Authority at `url` for a token over a SHA-256 digest and checks the answer
 * (granted status, a signed token whose signature verifies, our digest and nonce in it) before anyone uses it.
 */
import { createHash, randomBytes } from 'crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import './seal-cert'; // sets pkijs's crypto engine

export type TsaFailure = 'tsa_unavailable' | 'tsa_invalid_response';

/** The seal could not get its timestamp: no PDF is handed out (callers answer 503 / mark the export item). */
export class SealTimestampError extends Error {
  constructor(
    readonly code: TsaFailure,
    message: string
  ) {
    super(message);
    this.name = 'SealTimestampError';
  }
}

export interface TsaOptions {
  url: string;
  timeoutMs: number;
}

const SHA256 = '2.16.840.1.101.3.4.2.1';

/** The TimeStampToken (a CMS ContentInfo) over SHA-256(`data`), verified; throws SealTimestampError. */
export const requestTimestamp = async (data: Uint8Array, tsa: TsaOptions): Promise<pkijs.ContentInfo> => {
  const digest = createHash('sha256').update(data).digest();
  const nonce = randomBytes(8);
  nonce[0] &= 0x7f; // a positive INTEGER
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: digest }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonce }),
    certReq: true,
  });
  const where = `the time-stamping authority at ${new URL(tsa.url).origin}`;
  let body: Buffer;
  try {
    const res = await fetch(tsa.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/timestamp-query' },
      body: Buffer.from(request.toSchema().toBER(false)),
      signal: AbortSignal.timeout(tsa.timeoutMs),
    });
    if (res.status !== 200) throw new SealTimestampError('tsa_unavailable', `${where} answered HTTP ${res.status}`);
    body = Buffer.from(await res.arrayBuffer());
  } catch (err) {
    if (err instanceof SealTimestampError) throw err;
    const e = err as Error & { cause?: { code?: string } };
    const reason =
      e.name === 'TimeoutError' ? `did not answer within ${tsa.timeoutMs} ms` : `is unreachable (${e.cause?.code ?? e.message})`;
    throw new SealTimestampError('tsa_unavailable', `${where} ${reason}`);
  }
  const invalid = (why: string) => new SealTimestampError('tsa_invalid_response', `${where} sent no usable timestamp: ${why}`);
  let response: pkijs.TimeStampResp;
  try {
    response = pkijs.TimeStampResp.fromBER(new Uint8Array(body));
  } catch {
    throw invalid('the answer is not a TimeStampResp');
  }
  const status = response.status.status;
  if ((status !== 0 && status !== 1) || !response.timeStampToken)
    throw invalid(
      `status ${status}${response.status.statusStrings?.length ? ` (${response.status.statusStrings.map((s) => s.valueBlock.value).join('; ')})` : ''}`
    );
  const token = response.timeStampToken;
  let signed: pkijs.SignedData;
  let info: pkijs.TSTInfo;
  try {
    signed = new pkijs.SignedData({ schema: token.content });
    const content = signed.encapContentInfo.eContent;
    if (signed.encapContentInfo.eContentType !== pkijs.id_eContentType_TSTInfo || !content) throw new Error('not a TSTInfo');
    const raw = content.getValue();
    info = pkijs.TSTInfo.fromBER(raw);
    // pkijs's verify reads a primitive OCTET STRING only; some TSAs send a constructed (BER) one.
    signed.encapContentInfo.eContent = new asn1js.OctetString({ valueHex: raw });
  } catch (err) {
    throw invalid(`the token does not parse (${(err as Error).message})`);
  }
  if (!Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView).equals(digest)) throw invalid('it stamps another digest');
  if (!info.nonce || !Buffer.from(info.nonce.valueBlock.valueHexView).equals(nonce)) throw invalid('its nonce is not ours');
  const verified = await signed.verify({ signer: 0, data: new Uint8Array(data).buffer, checkChain: false }).catch(() => false);
  if (!verified) throw invalid('its signature does not verify');
  return token;
};

/** The genTime of a verified token (for the seal's own check and the verify page). */
export const timestampTime = (token: pkijs.ContentInfo) => {
  const signed = new pkijs.SignedData({ schema: token.content });
  return pkijs.TSTInfo.fromBER(signed.encapContentInfo.eContent!.getValue()).genTime;
};
