/** SHA-256 in lower-case hex with WebCrypto (browsers and Node 20). */

export type HashInput = Blob | ArrayBuffer | Uint8Array;

const toBuffer = async (data: HashInput): Promise<ArrayBuffer | Uint8Array> =>
  data instanceof Uint8Array || data instanceof ArrayBuffer ? data : data.arrayBuffer();

export const toHex = (bytes: ArrayBuffer): string => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

export const sha256Hex = async (data: HashInput, subtle: SubtleCrypto = globalThis.crypto.subtle): Promise<string> => {
  if (!subtle) throw new Error('This browser cannot compute file fingerprints (WebCrypto needs HTTPS). Open the site over https://.');
  return toHex(await subtle.digest('SHA-256', (await toBuffer(data)) as BufferSource));
};
