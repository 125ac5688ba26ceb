/**
 * Property: for any data, the capture page's validation (its entry point, validateCapture) and the server's (the
 * form service's validatorFor, which POST /api/eas/records calls) give the same verdict and the same field errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldDefinition, FormDefinition } from '../../../../cms/src/plugins/eas/shared/contracts/form';
import formService, { type FormVersionRow } from '../../../../cms/src/plugins/eas/server/src/services/form';
import { validateCapture } from '../capture-form';

const f = (key: string, type: FieldDefinition['type'], extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  key,
  label: key,
  type,
  required: false,
  ...extra,
});
const definition: FormDefinition = {
  slug: 'survey',
  name: 'Survey',
  photos: [],
  signatures: [],
  pdf: {},
  fields: [
    f('count', 'integer', { required: true, min: 0, max: 50 }),
    f('price', 'decimal', { constraint: '. > 0 and . < 1000', constraintMessage: 'Price out of range' }),
    f('total', 'decimal', { calculation: '${count} * ${price}' }),
    f('region', 'select', {
      options: [
        { value: 'north', label: 'North' },
        { value: 'south', label: 'South' },
      ],
    }),
    f('district', 'select', {
      options: [
        { value: 'n1', label: 'N1', attributes: { region: 'north' } },
        { value: 's1', label: 'S1', attributes: { region: 'south' } },
      ],
      choiceFilter: 'region = ${region}',
    }),
    f('big', 'text', { relevant: '${total} > 100', required: true, max: 20 }),
    f('when', 'time'),
    f('rating', 'range', { min: 1, max: 5, step: 1 }),
    f('agree', 'acknowledge', { requiredIf: "${region} = 'south'" }),
    f('old', 'text', { showIf: { field: 'region', equals: 'north' } }),
  ],
};
const row: FormVersionRow = {
  id: 1,
  documentId: 'v',
  formDocumentId: 'f',
  slug: 'survey',
  name: 'Survey',
  version: 1,
  definition,
  createdAt: '2026-12-01T00:00:00Z',
};
const server = formService({ strapi: {} as never }).validatorFor(row);

const junk = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string({ maxLength: 30 }),
  fc.double(),
  fc.integer({ min: -5, max: 200 }),
  fc.boolean()
);
const record = fc.record(
  {
    count: fc.oneof(fc.integer({ min: -2, max: 60 }), junk),
    price: fc.oneof(fc.double({ min: -10, max: 2000, noNaN: true }), junk),
    total: fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 500 }), junk),
    region: fc.oneof(fc.constantFrom('north', 'south', ''), junk),
    district: fc.oneof(fc.constantFrom('n1', 's1'), junk),
    big: fc.oneof(fc.string({ maxLength: 25 }), junk),
    when: fc.oneof(fc.constantFrom('09:30', '24:00', '7:5'), junk),
    rating: fc.oneof(fc.constantFrom(1, 2.5, 5, 6), junk),
    agree: fc.oneof(fc.boolean(), junk),
    old: fc.oneof(fc.string({ maxLength: 5 }), junk),
  },
  { requiredKeys: [] }
);

describe('site and server validation agree', () => {
  it('on generated records: same verdict, same fields and codes', () => {
    fc.assert(
      fc.property(record, (data) => {
        const clean = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
        const site = validateCapture(definition, clean, { today: '2026-12-02' });
        const srv = server(clean, { today: '2026-12-02' });
        expect(site.ok).toBe(srv.ok);
        if (!site.ok && !srv.ok) expect(site.errors.map((e) => [e.key, e.code])).toEqual(srv.errors.map((e) => [e.key, e.code]));
        if (site.ok && srv.ok) expect(site.data).toEqual(srv.data);
      }),
      { numRuns: 500 }
    );
  });

  it('the generator reaches both verdicts and the expression errors (so the property is not vacuous)', () => {
    const samples = fc
      .sample(record, { numRuns: 2000, seed: 20261202 })
      .map((d) => server(Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)), { today: '2026-12-02' }));
    const codes = new Set(samples.flatMap((r) => (r.ok ? ['ok'] : r.errors.map((e) => e.code))));
    for (const code of ['ok', 'constraint', 'calculation', 'option', 'hidden', 'required']) expect(codes).toContain(code);
  });
});
