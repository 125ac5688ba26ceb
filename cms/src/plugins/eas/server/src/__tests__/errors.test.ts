import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../errors';

const SERVER = path.resolve(__dirname, '..');
const API_DOC = path.resolve(__dirname, '../../../../../../../docs/api.md');

const sources = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === '__tests__' ? [] : sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });

/** Codes the server code answers with: `code: '…'` in error details, the image pipeline's and the TSA client's refusals. */
const codesInSource = () => {
  const found = new Set<string>();
  for (const file of sources(SERVER)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bcode: '([a-z_]+)'/g)) if (m[1] !== 'custom') found.add(m[1]); // 'custom': zod's issue kind
    for (const m of text.matchAll(/new MediaRejectedError\(\s*\d{3},\s*'([a-z_]+)'/g)) found.add(m[1]);
    for (const m of text.matchAll(/new SealTimestampError\(\s*'([a-z_]+)'/g)) found.add(m[1]);
  }
  return found;
};

const documentedCodes = () => {
  const doc = fs.readFileSync(API_DOC, 'utf8');
  const section = doc.split('### Error codes')[1]?.split('\n### ')[0] ?? '';
  return Object.fromEntries([...section.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]));
};

describe('the error-code catalogue', () => {
  it('should list every code the server answers with', () => {
    const missing = [...codesInSource()].filter((c) => !(c in ERROR_CODES));
    expect(missing).toEqual([]);
  });

  it('should only list codes the server still answers with', () => {
    const inSource = codesInSource();
    expect(Object.keys(ERROR_CODES).filter((c) => !inSource.has(c))).toEqual([]);
  });

  it('should be documented in docs/api.md with the same statuses', () => {
    expect(documentedCodes()).toEqual(ERROR_CODES);
  });
});
