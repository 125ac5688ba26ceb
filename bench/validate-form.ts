/**
 * Benchmark (not a test): validating one record of a 200-field form with expressions, as the server does on
 * POST /api/eas/records (the form service's validatorFor → shared/validation/record-data.ts), against the same 200
 * fields without any expression (baseline), in the same process, rounds alternating. Each field of the expression
 * form has a relevance, most a constraint; every tenth is a calculation over the fields above, every twentieth a
 * cascading select. Prints p50/p95/p99 per record and the ratio; exits non-zero if a generated record is refused
 * (a quick refusal would flatter it). A third form adds a repeat of 8 fields (relevance, constraints, a calculation per
 * entry and a total over the entries) and each of its records 50 entries: the measure. Goal: p95 ≤ 5 ms.
 *
 *   npm run bench:validate -- [--records=2000] [--rounds=4]
 */
import type { FieldDefinition } from '../cms/src/plugins/eas/shared/contracts/form';
import { createRecordValidator } from '../cms/src/plugins/eas/shared/validation/record-data';
import { arg, percentile, table } from './lib';

const RECORDS = arg('records', 2000);
const ROUNDS = arg('rounds', 4);
const FIELDS = 200;
const GOAL_MS = 5;

const REGIONS = Array.from({ length: 10 }, (_, r) => ({ value: `r${r}`, label: `Region ${r}` }));
const DISTRICTS = REGIONS.flatMap((r) =>
  Array.from({ length: 20 }, (_, d) => ({ value: `${r.value}d${d}`, label: `District ${d}`, attributes: { region: r.value } }))
);

const withExpressions = (): FieldDefinition[] =>
  Array.from({ length: FIELDS }, (_, i): FieldDefinition => {
    const key = `f${i}`;
    const prev = `f${i - 1}`;
    if (i % 20 === 0) return { key, label: `Region ${i}`, type: 'select', required: true, options: REGIONS };
    if (i % 20 === 1)
      return {
        key,
        label: `District ${i}`,
        type: 'select',
        required: true,
        options: DISTRICTS,
        choiceFilter: `region = \${${prev}}`,
        relevant: `\${${prev}} != ''`,
      };
    if (i % 10 === 9)
      return { key, label: `Sum ${i}`, type: 'decimal', required: false, calculation: `round(\${f${i - 2}} + \${f${i - 3}} * 2, 2)` };
    if (i % 3 === 0)
      return {
        key,
        label: `Text ${i}`,
        type: 'text',
        required: true,
        relevant: `string-length(\${f${i - 2}}) >= 0 or \${f${i - 1}} > 0`,
        constraint: "regex(., '^[A-Za-z ]+$') and string-length(.) <= 40",
        constraintMessage: 'Letters only',
      };
    return {
      key,
      label: `Number ${i}`,
      type: 'decimal',
      required: true,
      relevant: `coalesce(\${f${i - 1}}, 1) != -1`,
      constraint: '. >= 0 and . <= 1000',
      constraintMessage: '0 to 1000',
    };
  });

/** The same fields without relevance, constraints, calculations or choice filters. */
const plain = (fields: FieldDefinition[]): FieldDefinition[] =>
  fields.map(({ relevant: _r, constraint: _c, constraintMessage: _m, calculation, choiceFilter: _f, ...f }) =>
    calculation ? { ...f, required: false } : f
  );

const ENTRIES = arg('entries', 50);

/** The expression form plus a repeat (8 fields per entry) and a total over its entries. */
const withRepeat = (fields: FieldDefinition[]): FieldDefinition[] => [
  ...fields,
  { key: 'meters', label: 'Meter', type: 'repeat', required: true, min: 1, max: 100 },
  { key: 'serial', label: 'Serial', type: 'text', required: true, group: 'meters', constraint: "regex(., '^[A-Z][0-9]+$')" },
  { key: 'reading', label: 'Reading', type: 'decimal', required: true, group: 'meters', constraint: '. >= 0 and . <= 100000' },
  { key: 'previous', label: 'Previous', type: 'decimal', required: true, group: 'meters', constraint: '. <= ${reading}' },
  { key: 'used', label: 'Used', type: 'decimal', required: false, group: 'meters', calculation: 'round(${reading} - ${previous}, 2)' },
  { key: 'kind', label: 'Kind', type: 'select', required: true, group: 'meters', options: REGIONS },
  { key: 'faulty', label: 'Faulty', type: 'checkbox', required: false, group: 'meters' },
  { key: 'fault', label: 'Fault', type: 'text', required: true, group: 'meters', relevant: '${faulty}' },
  { key: 'note', label: 'Note', type: 'textarea', required: false, group: 'meters', relevant: "${used} > 50 or ${kind} = 'r1'" },
  { key: 'total', label: 'Total used', type: 'decimal', required: false, calculation: 'sum(${used})' },
];

const recordFor = (fields: FieldDefinition[], seed: number) => {
  const data: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.type === 'repeat') {
      data[f.key] = Array.from({ length: ENTRIES }, (_, i) => ({
        serial: `M${seed}${i}`,
        reading: 100 + i,
        previous: 40 + (i % 7),
        kind: `r${i % 10}`,
        ...(i % 5 === 0 ? { faulty: true, fault: 'Cracked glass' } : {}),
        ...(i % 10 === 1 ? { note: 'Checked twice' } : {}),
      }));
      continue;
    }
    if (f.group) continue;
    if (f.calculation) continue;
    if (f.type === 'select') data[f.key] = f.options === REGIONS ? `r${seed % 10}` : `r${seed % 10}d${seed % 20}`;
    else if (f.type === 'text') data[f.key] = `Site number ${String.fromCharCode(65 + (seed % 26))}`;
    else data[f.key] = (seed * 7 + f.key.length) % 900;
  }
  return data;
};

const run = (name: string, fields: FieldDefinition[]) => {
  const validate = createRecordValidator({ fields });
  const records = Array.from({ length: RECORDS }, (_, i) => recordFor(fields, i));
  return () => {
    const times: number[] = [];
    for (const r of records) {
      const t0 = process.hrtime.bigint();
      const result = validate(r, { today: '2026-12-02' });
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (!result.ok) throw new Error(`${name}: a generated record was refused: ${JSON.stringify(result.errors.slice(0, 3))}`);
    }
    return times;
  };
};

const expr = withExpressions();
const cases = [
  { name: 'with expressions', run: run('with expressions', expr), times: [] as number[] },
  { name: 'without expressions (baseline)', run: run('baseline', plain(expr)), times: [] as number[] },
  { name: `with expressions and a ${ENTRIES}-entry repeat`, run: run('repeat', withRepeat(expr)), times: [] as number[] },
];
for (const c of cases) c.run(); // warm-up
for (let round = 0; round < ROUNDS; round++) for (const c of round % 2 ? [...cases].reverse() : cases) c.times.push(...c.run());

const rows = cases.map((c) => {
  const sorted = [...c.times].sort((a, b) => a - b);
  return {
    form: `${FIELDS} fields, ${c.name}`,
    records: sorted.length,
    'p50 ms': percentile(sorted, 50),
    'p95 ms': percentile(sorted, 95),
    'p99 ms': percentile(sorted, 99),
  };
});
console.log(
  table(rows.map((r) => ({ ...r, 'p50 ms': r['p50 ms'].toFixed(3), 'p95 ms': r['p95 ms'].toFixed(3), 'p99 ms': r['p99 ms'].toFixed(3) })))
);
const ratio = rows[0]['p95 ms'] / rows[1]['p95 ms'];
console.log(
  `\np95 with expressions / without: ${ratio.toFixed(2)}×; goal p95 ≤ ${GOAL_MS} ms: ${rows[0]['p95 ms'] <= GOAL_MS ? 'met' : 'NOT met'}`
);
console.log(
  `p95 with the repeat / without expressions: ${(rows[2]['p95 ms'] / rows[1]['p95 ms']).toFixed(2)}×; goal p95 ≤ ${GOAL_MS} ms: ${rows[2]['p95 ms'] <= GOAL_MS ? 'met' : 'NOT met'}`
);
