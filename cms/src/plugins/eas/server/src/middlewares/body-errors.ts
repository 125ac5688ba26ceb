/**
 * Refusals of Strapi's body parser (strapi::body: co-body for JSON, formidable 2 inside koa-body for multipart)
 * answered as 413 (too large) or 400 (unreadable), with a message naming the limit and the field or file — never a
 * 500, and never Strapi's bare "FileTooBig".
 *
 * Why a plugin middleware, listed in the app's config/middlewares.ts right before strapi::body
 * ('plugin::eas.body-errors'): it must run around the parser on every route, before authentication (bodies are
 * parsed before anyone is known, so anonymous requests meet these limits too), and its wording and limits belong
 * with the plugin's other error messages and validation limits (strokes' 2 MB), where it is unit-tested.
 *
 * What the parser's errors carry (formidable 2.1.5, src/FormidableError.js and src/Formidable.js): a numeric `code`
 * (1006 maxFieldsSize, 1007 maxFields, 1009 maxFileSize, …), an `httpCode` (413 or 400, 501 for an unknown
 * transfer encoding; never read by Strapi, which answers 500) and a message with byte counts — never the name of
 * the field or file being read. maxFieldsSize counts all text fields of a request together and maxFileSize all files
 * together; formidable 2 has no maxFiles. Strapi's body middleware turns maxFileSize errors into a 413 "FileTooBig"
 * response and drops the error. co-body's errors carry `type` ('entity.too.large'), `status` and `limit`.
 * So the name of the part being read is recorded per request by wrapping formidable's `onPart` — the documented
 * extension point of formidable ("form.onPart = …"), here on the prototype of the copy Strapi's parser loads, since
 * koa-body creates the form inside and never hands it out. The wrapper only records; parsing is unchanged.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context, Next } from 'koa';
import { showInvisible } from '../../../shared/validation/plain-text';

/** The limits strapi::body is configured with (config/middlewares.ts hands the same numbers to both). */
export interface BodyLimits {
  /** All text fields of one multipart request together (formidable maxFieldsSize). */
  fieldsBytes: number;
  /** All files of one multipart request together (formidable maxFileSize). */
  fileBytes: number;
  /** Text fields of one multipart request (formidable maxFields). */
  fields: number;
}

/** The multipart part formidable was reading, and how many file parts it had begun. */
export interface PartInProgress {
  name: string;
  filename: string | null;
  files: number;
}

interface FormidableModule {
  IncomingForm: { prototype: { onPart: (part: Part) => unknown } };
  errors: FormidableErrors;
}
/** formidable's `errors` export: the error class and its numeric codes. */
export interface FormidableErrors {
  FormidableError: new (...args: never[]) => Error;
  maxFieldsSizeExceeded: number;
  maxFieldsExceeded: number;
  biggerThanMaxFileSize: number;
}
interface Part {
  name?: string | null;
  originalFilename?: string | null;
  mimetype?: string | null;
}
type Form = { headers?: IncomingHttpHeaders };

/** The formidable that Strapi's body parser loads (@strapi/strapi → @strapi/core → koa-body), whatever hoisting did. */
export const strapiFormidable = (): FormidableModule => {
  const fromStrapi = createRequire(require.resolve('@strapi/strapi/package.json'));
  const fromCore = createRequire(fromStrapi.resolve('@strapi/core/package.json'));
  const fromKoaBody = createRequire(fromCore.resolve('koa-body'));
  return fromKoaBody('formidable') as FormidableModule;
};

/** Keyed by the request's headers object, which formidable keeps as `form.headers` (the same object as ctx.req.headers). */
const partsInProgress = new WeakMap<IncomingHttpHeaders, PartInProgress>();
const RECORDING = Symbol.for('eas.formidable.recordsPartInProgress');

/** Makes every formidable form record the part it is reading (idempotent). */
export const recordPartsInProgress = (formidable: FormidableModule) => {
  const proto = formidable.IncomingForm.prototype as FormidableModule['IncomingForm']['prototype'] & { [RECORDING]?: true };
  if (proto[RECORDING]) return;
  const onPart = proto.onPart;
  proto.onPart = function recordPart(this: Form, part: Part) {
    if (this.headers) {
      const files = (partsInProgress.get(this.headers)?.files ?? 0) + (part.mimetype ? 1 : 0);
      partsInProgress.set(this.headers, { name: part.name ?? '', filename: part.originalFilename ?? null, files });
    }
    return onPart.call(this, part);
  };
  proto[RECORDING] = true;
};

export const partInProgress = (headers: IncomingHttpHeaders) => partsInProgress.get(headers) ?? null;

const MB = 1024 * 1024;
/** 1048576 → "1 MB", 3.5 MB → "3.5 MB", 56 KB → "56 KB". */
export const formatBytes = (bytes: number) =>
  bytes >= MB ? `${Number((bytes / MB).toFixed(1))} MB` : `${Number((bytes / 1024).toFixed(1))} KB`;

/** A name from the request, made safe to echo: invisible characters spelled out, at most 100 characters. */
const shown = (text: string) => {
  const visible = showInvisible(text);
  return visible.length > 100 ? `${visible.slice(0, 100)}…` : visible;
};

export interface BodyRefusal {
  status: 400 | 413;
  message: string;
  /** The multipart field at fault, or [] for the body as a whole. */
  path: string[];
}

/** The words for a file over the file limit, from what was being read. */
export const fileTooLarge = (part: PartInProgress | null, limits: BodyLimits): BodyRefusal => {
  const limit = formatBytes(limits.fileBytes);
  if (!part || part.filename === null) return { status: 413, message: `a file is larger than the ${limit} limit`, path: [] };
  const named = `${shown(part.name)} "${shown(part.filename)}"`;
  return part.files > 1
    ? { status: 413, message: `${named}: the files of one request may be at most ${limit} together`, path: [part.name] }
    : { status: 413, message: `${named} is larger than the ${limit} limit`, path: [part.name] };
};

/**
 * What to answer for an error thrown by the body parser, or null when `err` is not one (it is then left alone).
 * `formidable` is formidable's `errors` export, to recognise its errors and codes by.
 */
export const describeBodyError = (
  err: unknown,
  part: PartInProgress | null,
  limits: BodyLimits,
  formidable: FormidableErrors
): BodyRefusal | null => {
  if (err instanceof formidable.FormidableError) {
    const { code, httpCode } = err as Error & { code?: number; httpCode?: number };
    if (code === formidable.maxFieldsSizeExceeded) {
      const together = `the text fields of one request may be at most ${formatBytes(limits.fieldsBytes)} together`;
      return part
        ? { status: 413, message: `${shown(part.name)}: ${together}`, path: [part.name] }
        : { status: 413, message: together, path: [] };
    }
    if (code === formidable.maxFieldsExceeded)
      return { status: 413, message: `a request may have at most ${limits.fields} text fields`, path: [] };
    if (code === formidable.biggerThanMaxFileSize) return fileTooLarge(part, limits);
    // Anything else formidable refuses is a body it cannot read (no boundary, cut short, unknown transfer encoding…).
    return {
      status: httpCode === 413 ? 413 : 400,
      message: `The multipart body could not be read: ${err.message}`,
      path: part ? [part.name] : [],
    };
  }
  const e = err as { type?: unknown; status?: unknown; limit?: unknown; body?: unknown; message?: string } | null;
  if (e && e.type === 'entity.too.large' && typeof e.limit === 'number') {
    return { status: 413, message: `The request body is larger than the ${formatBytes(e.limit)} limit`, path: [] };
  }
  // co-body's JSON: JSON.parse's SyntaxError, given status 400 and the text it could not parse.
  if (err instanceof SyntaxError && e?.status === 400 && 'body' in e) {
    return { status: 400, message: `The request body is not valid JSON (${err.message})`, path: [] };
  }
  return null;
};

const refusal = ({ status, message, path }: BodyRefusal) => {
  const details = { errors: [{ path, message }] };
  return status === 413 ? new errors.PayloadTooLargeError(message, details) : new errors.ValidationError(message, details);
};

/** Strapi's body middleware answers a file over maxFileSize itself, with this bare message. */
const isStrapiFileTooBig = (ctx: Context) =>
  ctx.status === 413 && (ctx.body as { error?: { message?: unknown } } | undefined)?.error?.message === 'FileTooBig';

const bodyErrors = (config: BodyLimits, _: { strapi: Core.Strapi }) => {
  const formidable = strapiFormidable();
  recordPartsInProgress(formidable);

  return async (ctx: Context, next: Next) => {
    try {
      await next();
    } catch (err) {
      const refused = describeBodyError(err, partInProgress(ctx.req.headers), config, formidable.errors);
      throw refused ? refusal(refused) : err;
    }
    if (isStrapiFileTooBig(ctx)) throw refusal(fileTooLarge(partInProgress(ctx.req.headers), config));
  };
};

export default bodyErrors;
