import { createHash } from 'crypto';

/** SHA-256 in lower-case hex of a text (UTF-8) or bytes: every hash EAS stores, prints or compares. */
export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
