/**
 * Content credentials (C2PA) on stored photos: a manifest signed with the EAS sealing identity is embedded in the
 * display JPEG, saying what EAS did to the device original (opened it, fixed orientation, resized, re-encoded,
 * removed its metadata), which record it belongs to, and the original's SHA-256 as the parent ingredient. Any
 * C2PA-aware viewer (contentcredentials.org/verify, c2patool) then shows the photo came from EAS unchanged.
 *
 * Built on @contentauth/c2pa-wasm (the official c2pa-rs compiled to WebAssembly, no native binary, no download at
 * install time). Three things it needs in Node, all handled here:
 * - it is ESM-only, and this plugin compiles to CommonJS, where tsc turns `import()` into `require()`: that loads
 *   it on Node >= 20.19 / 22.12 (require of ES modules, unflagged; the image runs Node 24). A `new Function` import
 *   shim would also serve older Node but fails under vitest ("A dynamic import callback was not specified");
 * - its signer calls back with the claim bytes and expects the whole COSE_Sign1 back (c2pa-rs "direct COSE
 *   handling"), padded to exactly the reserved size: it is built here (x5chain in the protected header, RFC 9052);
 * - `WasmBuilder.sign` reads its source through the Web Worker API `FileReaderSync`, absent in Node: a minimal one
 *   is installed that reads only the in-memory byte views passed here.
 *
 * The signing certificate must suit C2PA (c2pa-rs refuses others with "signingCredential.invalid: certificate
 * params incorrect"): keyUsage digitalSignature and an extendedKeyUsage of emailProtection, documentSigning
 * (1.3.6.1.5.5.7.3.36) or C2PA claim signing. Keys: ECDSA P-256/P-384 (ES256/ES384) or RSA (PS256; C2PA has no
 * PKCS#1 v1.5). No time-stamp is added: the claim's signing time is only as good as the certificate's validity.
 */
import { KeyObject, constants, sign as signWithKey } from 'crypto';
import { readFileSync } from 'fs';
import type * as C2paWasm from '@contentauth/c2pa-wasm';
import { certificatePem, type SealIdentity } from './seal-cert';

/** The C2PA standard actions EAS performs on a photo (C2PA 2.x "actions" assertion). */
export const PHOTO_ACTIONS = ['c2pa.orientation', 'c2pa.resized', 'c2pa.transcoded', 'c2pa.converted', 'c2pa.edited.metadata'] as const;
export type PhotoAction = (typeof PHOTO_ACTIONS)[number];

/** Label of EAS's own assertion (reverse-domain, as C2PA asks of custom labels). */
export const RECORD_ASSERTION = 'org.eas.record';

export interface PhotoClaim {
  /** Name viewers show for the stored photo. */
  title: string;
  reference: string;
  side: string;
  /** ISO 8601 capture time as the device reported it. */
  capturedAt: string;
  device?: string | null;
  /** Only when the form allows the position to be published. */
  location?: { latitude: number; longitude: number; accuracy?: number | null } | null;
  /** The device original: never embedded (it holds EXIF and GPS), only named by its hash. */
  original: { sha256: string; format: 'image/jpeg' | 'image/png' | 'image/webp'; title?: string };
  /** What was done to the original to make this JPEG, in order. */
  actions: readonly PhotoAction[];
}

export type ValidationState = 'Invalid' | 'Valid' | 'Trusted';

export interface ContentCredentialsReport {
  /** The manifest is intact, the image bytes match it, and its signer chains to the trust anchors. */
  valid: boolean;
  /** c2pa-rs's verdict; null when the image carries no manifest or it cannot be parsed. */
  state: ValidationState | null;
  signer: { commonName: string | null; issuer: string | null; alg: string | null } | null;
  assertions: { label: string; data: unknown }[];
  ingredients: { title: string | null; relationship: string | null; instanceId: string | null; metadata: unknown }[];
  /** Failure codes with c2pa-rs's explanation, e.g. "assertion.dataHash.mismatch: … Hashes do not match". */
  problems: string[];
}

export interface ContentCredentialsOptions {
  identity: SealIdentity;
  /** PEM certificates a manifest must chain to when read; default: the last certificate of the identity's chain. */
  trustAnchors?: string;
  generator?: { name: string; version?: string };
}

// ---- WebAssembly module ----

class BytesView {
  constructor(readonly bytes: Uint8Array) {}
  get size() {
    return this.bytes.length;
  }
  slice(start = 0, end = this.bytes.length) {
    return new BytesView(this.bytes.subarray(start, end));
  }
}

let loading: Promise<typeof C2paWasm> | null = null;
const c2pa = () =>
  (loading ??= (async () => {
    const g = globalThis as { FileReaderSync?: unknown };
    g.FileReaderSync ??= class FileReaderSync {
      readAsArrayBuffer(view: unknown) {
        if (!(view instanceof BytesView)) throw new TypeError('FileReaderSync (EAS shim) reads only in-memory byte views');
        return view.bytes.slice().buffer;
      }
    };
    const mod = await import('@contentauth/c2pa-wasm');
    mod.initSync({ module: readFileSync(require.resolve('@contentauth/c2pa-wasm/c2pa.wasm')) });
    return mod;
  })().catch((err) => {
    loading = null;
    throw err;
  }));

// ---- COSE_Sign1 (RFC 9052) with the minimal CBOR it needs ----

type Cbor = number | string | Uint8Array | null | Cbor[] | Map<number | string, Cbor> | { tag: number; value: Cbor };

const cborHead = (major: number, n: number) => {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
};

const cbor = (v: Cbor): Buffer => {
  if (v === null) return Buffer.from([0xf6]);
  if (typeof v === 'number') return v >= 0 ? cborHead(0, v) : cborHead(1, -1 - v);
  if (typeof v === 'string') {
    const s = Buffer.from(v, 'utf8');
    return Buffer.concat([cborHead(3, s.length), s]);
  }
  if (v instanceof Uint8Array) return Buffer.concat([cborHead(2, v.length), v]);
  if (Array.isArray(v)) return Buffer.concat([cborHead(4, v.length), ...v.map(cbor)]);
  if (v instanceof Map) return Buffer.concat([cborHead(5, v.size), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)])]);
  return Buffer.concat([cborHead(6, v.tag), cbor(v.value)]);
};

interface Algorithm {
  c2pa: 'es256' | 'es384' | 'ps256';
  cose: number;
  hash: 'sha256' | 'sha384';
  signatureBytes: number;
}

const algorithmOf = (key: KeyObject): Algorithm => {
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return { c2pa: 'es256', cose: -7, hash: 'sha256', signatureBytes: 64 };
    if (curve === 'secp384r1') return { c2pa: 'es384', cose: -35, hash: 'sha384', signatureBytes: 96 };
    throw new Error(`content credentials: the sealing key is on curve ${curve}; use P-256, P-384 or RSA`);
  }
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss')
    return { c2pa: 'ps256', cose: -37, hash: 'sha256', signatureBytes: (key.asymmetricKeyDetails?.modulusLength ?? 4096) / 8 };
  throw new Error(`content credentials: the sealing key is ${key.asymmetricKeyType}; use ECDSA (P-256, P-384) or RSA`);
};

/** A C2PA signer: the claim's COSE_Sign1 (detached payload, x5chain protected), padded to exactly `reserveSize`. */
const coseSigner = (identity: SealIdentity) => {
  const key = KeyObject.from(identity.privateKey);
  const alg = algorithmOf(key);
  const chain = identity.chain.map((cert) => new Uint8Array(cert.toSchema(true).toBER(false)));
  const protectedHeader = cbor(
    new Map<number, Cbor>([
      [1, alg.cose],
      [33, chain.length === 1 ? chain[0] : chain],
    ])
  );
  const reserveSize = protectedHeader.length + alg.signatureBytes + 64;
  const sign = async (claim: Uint8Array) => {
    const toBeSigned = cbor(['Signature1', protectedHeader, new Uint8Array(0), claim]);
    const signature = signWithKey(
      alg.hash,
      toBeSigned,
      alg.c2pa === 'ps256' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : { key, dsaEncoding: 'ieee-p1363' }
    );
    const sign1 = (unprotected: Map<string, Cbor>) => cbor({ tag: 18, value: [protectedHeader, unprotected, null, signature] });
    // The "pad" header fills the space c2pa-rs reserved in the file; a shorter signature box breaks its hash exclusion.
    const bare = sign1(new Map()).length;
    let padding = reserveSize - bare - cbor('pad').length - 1;
    while (padding >= 0 && bare + cbor('pad').length + cborHead(2, padding).length + padding > reserveSize) padding--;
    if (padding < 0) throw new Error(`content credentials: the signature (${bare} bytes) exceeds the reserved ${reserveSize}`);
    return new Uint8Array(sign1(new Map([['pad', new Uint8Array(padding)]])));
  };
  return { alg: alg.c2pa, reserveSize, sign };
};

// ---- manifest ----

const manifestOf = (claim: PhotoClaim, generator: { name: string; version?: string }) => ({
  claim_generator_info: [generator],
  title: claim.title,
  format: 'image/jpeg',
  ingredients: [
    {
      label: 'original',
      title: claim.original.title ?? `${claim.reference}-${claim.side}-original`,
      format: claim.original.format,
      relationship: 'parentOf',
      // c2pa-rs drops an ingredient's `hash`; instanceID and metadata are kept in the ingredient.v3 assertion.
      instance_id: `sha256:${claim.original.sha256}`,
      metadata: { [`${RECORD_ASSERTION}.sha256`]: claim.original.sha256 },
    },
  ],
  assertions: [
    {
      label: 'c2pa.actions.v2',
      data: {
        actions: [{ action: 'c2pa.opened', parameters: { ingredientIds: ['original'] } }, ...claim.actions.map((action) => ({ action }))],
      },
    },
    {
      label: RECORD_ASSERTION,
      data: {
        reference: claim.reference,
        side: claim.side,
        capturedAt: claim.capturedAt,
        ...(claim.device ? { device: claim.device } : {}),
        ...(claim.location ? { location: claim.location } : {}),
      },
    },
  ],
});

interface ValidationStatus {
  code: string;
  explanation?: string;
}

const describeFailure = (err: unknown) => {
  const text = String((err as Error)?.message ?? err);
  return text.includes('signingCredential.invalid')
    ? 'the sealing certificate is not accepted for C2PA (it needs keyUsage digitalSignature and an extendedKeyUsage of ' +
        'emailProtection, documentSigning or C2PA claim signing)'
    : text.slice(0, 500);
};

/** Extended key usages C2PA accepts for a claim signer: emailProtection, documentSigning, C2PA claim signing. */
const C2PA_KEY_PURPOSES = ['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.36', '1.3.6.1.4.1.62558.2.1'];

/** Whether c2pa-rs will sign with this certificate: it must name one of C2PA_KEY_PURPOSES (no EKU at all is refused). */
export const qualifiesForC2pa = (cert: SealIdentity['chain'][number]) => {
  const eku = cert.extensions?.find((e) => e.extnID === '2.5.29.37');
  const purposes = (eku?.parsedValue as { keyPurposes?: string[] } | undefined)?.keyPurposes ?? [];
  return purposes.some((p) => C2PA_KEY_PURPOSES.includes(p));
};

/** Embeds and reads C2PA manifests in JPEGs, signed with and checked against the EAS sealing identity. */
export const createContentCredentials = ({ identity, trustAnchors, generator = { name: 'EAS' } }: ContentCredentialsOptions) => {
  const signer = coseSigner(identity);
  const anchors = trustAnchors ?? certificatePem(identity.chain[identity.chain.length - 1]);
  // Passed on every call: c2pa-wasm keeps the last settings it was given for calls made without any.
  const context = JSON.stringify({ trust: { user_anchors: anchors }, verify: { verify_trust: true } });

  return {
    /** The JPEG with the manifest embedded (an APP11 segment): hash the result, not the input. */
    async embed(jpeg: Buffer, claim: PhotoClaim): Promise<Buffer> {
      const { WasmBuilder } = await c2pa();
      const builder = WasmBuilder.fromJson(JSON.stringify(manifestOf(claim, generator)), context);
      try {
        const source = new BytesView(jpeg) as unknown as Blob;
        return Buffer.from(await builder.sign(signer, [], 'image/jpeg', source));
      } catch (err) {
        throw new Error(`content credentials could not be added to "${claim.title}": ${describeFailure(err)}`, { cause: err });
      } finally {
        builder.free();
      }
    },

    /** What the JPEG's manifest says and whether it holds; never throws for a bad or missing manifest. */
    async read(jpeg: Buffer): Promise<ContentCredentialsReport> {
      const { WasmReader } = await c2pa();
      let reader: C2paWasm.WasmReader;
      try {
        reader = await WasmReader.fromBytes('image/jpeg', jpeg, context);
      } catch (err) {
        const text = String((err as Error)?.message ?? err);
        const problem = text.includes('JumbfNotFound') ? 'no content credentials (C2PA manifest) in the image' : text.slice(0, 500);
        return { valid: false, state: null, signer: null, assertions: [], ingredients: [], problems: [problem] };
      }
      try {
        const store = reader.manifestStore();
        const active = reader.activeManifest();
        const failures: ValidationStatus[] = store.validation_results?.activeManifest?.failure ?? store.validation_status ?? [];
        const state: ValidationState = store.validation_state;
        const info = active?.signature_info;
        return {
          valid: state === 'Trusted' && failures.length === 0,
          state,
          signer: info ? { commonName: info.common_name ?? null, issuer: info.issuer ?? null, alg: info.alg ?? null } : null,
          assertions: (active?.assertions ?? []).map((a: { label: string; data: unknown }) => ({ label: a.label, data: a.data })),
          ingredients: (active?.ingredients ?? []).map(
            (i: { title?: string; relationship?: string; instance_id?: string; metadata?: unknown }) => ({
              title: i.title ?? null,
              relationship: i.relationship ?? null,
              instanceId: i.instance_id ?? null,
              metadata: i.metadata ?? null,
            })
          ),
          problems: failures.map((f) => (f.explanation ? `${f.code}: ${f.explanation}` : f.code)),
        };
      } finally {
        reader.free();
      }
    },
  };
};

export type ContentCredentials = ReturnType<typeof createContentCredentials>;
