import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import routes from '..';

const SPEC = path.resolve(__dirname, '../../../../../../../../docs/openapi.yaml');
const BOOTSTRAP = path.resolve(__dirname, '../../bootstrap.ts');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

const spec = parse(fs.readFileSync(SPEC, 'utf8')) as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };

/** "GET /api/eas/records/:documentId" for each operation of docs/openapi.yaml. */
const documented = Object.entries(spec.paths).flatMap(([p, ops]) =>
  Object.keys(ops)
    .filter((m) => METHODS.includes(m))
    .map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`)
);

/** Every route the plugin serves: content API under /api/eas, admin under /eas, and the root routes of bootstrap.ts. */
const served = [
  ...routes['content-api'].routes.map((r) => `${r.method} /api/eas${r.path}`),
  ...routes.admin.routes.map((r) => `${r.method} /eas${r.path}`),
  ...[...fs.readFileSync(BOOTSTRAP, 'utf8').matchAll(/method: '(\w+)',\s*path: '([^']+)'/g)].map((m) => `${m[1]} ${m[2]}`),
  'GET /_health', // Strapi's own
];

describe('docs/openapi.yaml', () => {
  it('documents every route the plugin serves, and no route it does not', () => {
    expect([...documented].sort()).toEqual([...new Set(served)].sort());
  });

  it('gives every operation its responses, errors included', () => {
    for (const [p, ops] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!METHODS.includes(method)) continue;
        expect(Object.keys(op.responses ?? {}).length, `${method} ${p}`).toBeGreaterThan(0);
      }
    }
  });
});
