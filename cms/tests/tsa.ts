/**
 * A local RFC 3161 Time-Stamping Authority for tests: an HTTP server answering TimeStampReq with a TimeStampResp
 * whose token is signed (pkijs) by a self-signed TSA certificate made at start. `mode` turns it into a broken TSA:
 * 'slow' never answers, 'garbage' answers bytes that are no TimeStampResp, 'reject' answers status 2 (rejection).
 */
import http from 'http';
import type { AddressInfo } from 'net';
import { createHash, randomBytes, webcrypto } from 'crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createSelfSignedCertificate, parseCertificates } from '../src/plugins/eas/server/src/utils/seal-cert';

export type TsaMode = 'ok' | 'slow' | 'garbage' | 'reject';

export interface LocalTsa {
  url: string;
  certPem: string;
  /** Requests answered (any mode). */
  requests: () => number;
  setMode: (mode: TsaMode) => void;
  close: () => Promise<void>;
}

const readBody = (req: http.IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

const attribute = (type: string, value: asn1js.AsnType) => new pkijs.Attribute({ type, values: [value] });

export async function startTsa(initial: TsaMode = 'ok'): Promise<LocalTsa> {
  const { keyPem, certPem } = await createSelfSignedCertificate('EAS test TSA', { timeStamping: true, years: 1 });
  const [cert] = parseCertificates(certPem);
  const der = Buffer.from(keyPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
  const key = await webcrypto.subtle.importKey('pkcs8', new Uint8Array(der), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  let mode = initial;
  let count = 0;
  let serial = 1;

  const stamp = async (body: Buffer) => {
    const req = pkijs.TimeStampReq.fromBER(new Uint8Array(body));
    const info = new pkijs.TSTInfo({
      version: 1,
      policy: '1.3.6.1.4.1.99999.1',
      messageImprint: req.messageImprint,
      serialNumber: new asn1js.Integer({ value: serial++ }),
      genTime: new Date(),
      ...(req.nonce ? { nonce: req.nonce } : {}),
    });
    const content = Buffer.from(info.toSchema().toBER(false));
    const certHash = createHash('sha256')
      .update(Buffer.from(cert.toSchema(true).toBER(false)))
      .digest();
    const signed = new pkijs.SignedData({
      version: 3,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({
        eContentType: pkijs.id_eContentType_TSTInfo,
        eContent: new asn1js.OctetString({ valueHex: content }),
      }),
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
          signedAttrs: new pkijs.SignedAndUnsignedAttributes({
            type: 0,
            attributes: [
              attribute('1.2.840.113549.1.9.3', new asn1js.ObjectIdentifier({ value: pkijs.id_eContentType_TSTInfo })),
              attribute('1.2.840.113549.1.9.4', new asn1js.OctetString({ valueHex: createHash('sha256').update(content).digest() })),
              attribute(
                '1.2.840.113549.1.9.16.2.47',
                new asn1js.Sequence({
                  value: [
                    new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: certHash })] })] }),
                  ],
                })
              ),
            ],
          }),
        }),
      ],
      certificates: req.certReq ? [cert] : undefined,
    });
    await signed.sign(key as never, 0, 'SHA-256');
    // DER, as real TSAs send it: pkijs would write the TSTInfo as a constructed (BER) OCTET STRING.
    const schema = signed.toSchema(true) as asn1js.Sequence;
    const encap = schema.valueBlock.value[2] as asn1js.Sequence;
    encap.valueBlock.value[1] = new asn1js.Constructed({
      idBlock: { tagClass: 3, tagNumber: 0 },
      value: [new asn1js.OctetString({ valueHex: content })],
    });
    const token = new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: schema });
    return new pkijs.TimeStampResp({ status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.granted }), timeStampToken: token });
  };

  const server = http.createServer(async (req, res) => {
    count++;
    const body = await readBody(req);
    if (mode === 'slow') return; // never answers; the client's timeout must end it
    if (mode === 'garbage') return res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end(randomBytes(64));
    const answer =
      mode === 'reject'
        ? new pkijs.TimeStampResp({
            status: new pkijs.PKIStatusInfo({
              status: pkijs.PKIStatus.rejection,
              statusStrings: [new asn1js.Utf8String({ value: 'test TSA refuses' })],
            }),
          })
        : await stamp(body);
    res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end(Buffer.from(answer.toSchema().toBER(false)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    certPem,
    requests: () => count,
    setMode: (m) => (mode = m),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
