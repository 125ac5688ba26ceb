/**
 * Benchmark (not a test): importing an XLSForm with a 5,000-choice list (utils/xlsform/import.ts: read the workbook
 * with exceljs, map every row, translate the expressions), against reading the same workbook alone (baseline: what
 * any importer pays), in the same process, rounds alternating. Goal (issue 18): under 2 s per import.
 *   node_modules/.bin/tsx bench/xlsform.ts [--choices=5000] [--rounds=5]
 */
import ExcelJS from 'exceljs';
import { importXlsform } from '../cms/src/plugins/eas/server/src/utils/xlsform/import';
import { readXlsform } from '../cms/src/plugins/eas/server/src/utils/xlsform/read';
import { arg, percentile, table } from './lib';

const CHOICES = arg('choices', 5000);
const ROUNDS = arg('rounds', 5);
const GOAL_MS = 2000;

const main = async () => {
  const book = new ExcelJS.Workbook();
  book
    .addWorksheet('survey')
    .addRows([
      ['type', 'name', 'label::English (en)', 'label::French (fr)', 'required', 'relevant', 'choice_filter'],
      ['select_one region', 'region', 'Region', 'Région', 'yes'],
      ['select_one village', 'village', 'Village', 'Village', 'yes', "${region} != ''", 'region=${region}'],
      ...Array.from({ length: 100 }, (_, i) => ['integer', `q${i}`, `Question ${i}`, `Question ${i}`, 'no', `\${region} = 'r${i % 10}'`]),
    ]);
  book
    .addWorksheet('choices')
    .addRows([
      ['list_name', 'name', 'label::English (en)', 'label::French (fr)', 'region'],
      ...Array.from({ length: 10 }, (_, r) => ['region', `r${r}`, `Region ${r}`, `Région ${r}`, '']),
      ...Array.from({ length: CHOICES }, (_, i) => ['village', `v${i}`, `Village ${i}`, `Village ${i}`, `r${i % 10}`]),
    ]);
  book.addWorksheet('settings').addRows([
    ['form_title', 'form_id', 'default_language'],
    ['Villages', 'villages', 'English (en)'],
  ]);
  const file = Buffer.from(await book.xlsx.writeBuffer());

  const cases = [
    {
      name: `import (${CHOICES} choices, 102 questions)`,
      ms: [] as number[],
      run: async () => {
        const r = await importXlsform(file);
        if (!r.ok) throw new Error(`the bench workbook was refused: ${JSON.stringify(r.problems.slice(0, 3))}`);
      },
    },
    { name: 'read the workbook only (baseline)', ms: [] as number[], run: async () => void (await readXlsform(file)) },
  ];
  for (const c of cases) await c.run(); // warm-up
  for (let round = 0; round < ROUNDS; round++)
    for (const c of round % 2 ? [...cases].reverse() : cases) {
      const t0 = performance.now();
      await c.run();
      c.ms.push(performance.now() - t0);
    }
  console.log(`Workbook: ${(file.length / 1024).toFixed(0)} KB; ${ROUNDS} rounds after a warm-up\n`);
  const rows = cases.map((c) => {
    const sorted = [...c.ms].sort((a, b) => a - b);
    return { case: c.name, 'p50 ms': percentile(sorted, 50), 'max ms': sorted[sorted.length - 1] };
  });
  console.log(table(rows.map((r) => ({ ...r, 'p50 ms': r['p50 ms'].toFixed(0), 'max ms': r['max ms'].toFixed(0) }))));
  console.log(
    `\nimport / read alone: ${(rows[0]['p50 ms'] / rows[1]['p50 ms']).toFixed(2)}×; goal under ${GOAL_MS} ms: ${rows[0]['max ms'] < GOAL_MS ? 'met' : 'NOT met'} (slowest ${rows[0]['max ms'].toFixed(0)} ms)`
  );
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
