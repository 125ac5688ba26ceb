/**
 * Benchmark (not a test): drawing a long form on the phone. The capture page's own structure code
 * (site/src/components/capture-structure.ts: groups, a repeat's entries, pages) and live form logic (lib/form-live.ts,
 * the shared expressions) bundled by esbuild and run in Chromium at a 4× CPU slowdown (the throttled phone
 * profile): draw a 200-field form with expressions and a 50-entry repeat, fill it from a draft, apply relevance,
 * calculations and choice filters, validate it once, and lay the page out. Leaf inputs are drawn by a minimal
 * renderer (a label and an input per field, as the capture element draws them, without its event wiring).
 * Baseline in the same page and run: the same 200 fields without expressions and without the repeat.
 * Goal: interactive (drawn, filled, laid out) ≤ 1.5 s throttled.
 *   node_modules/.bin/tsx bench/capture-render.ts [--iterations=6] [--throttle=4] [--entries=50]
 */
import http from 'node:http';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import type { FieldDefinition } from '../cms/src/plugins/eas/shared/contracts/form';
import { CHROMIUM_ARGS, resolveChromium } from '../cms/src/plugins/eas/server/src/utils/chromium';
import { arg, percentile, table } from './lib';

const ITERATIONS = arg('iterations', 6);
const THROTTLE = arg('throttle', 4);
const ENTRIES = arg('entries', 50);
const GOAL_MS = 1500;

const OPTIONS = Array.from({ length: 10 }, (_, r) => ({ value: `r${r}`, label: `Region ${r}` }));
const DISTRICTS = OPTIONS.flatMap((r) =>
  Array.from({ length: 20 }, (_, d) => ({ value: `${r.value}d${d}`, label: `District ${d}`, attributes: { region: r.value } }))
);

/** 200 fields in 10 groups (pages), with relevance, constraints, calculations and cascading selects; then the repeat. */
const longForm = (expressions: boolean, entries: boolean): FieldDefinition[] => {
  const fields: FieldDefinition[] = [];
  for (let g = 0; g < 10; g++) {
    fields.push({ key: `g${g}`, label: `Section ${g + 1}`, type: 'group', required: false });
    for (let j = 0; j < 20; j++) {
      const i = g * 20 + j;
      const key = `f${i}`;
      const base = { key, required: false, group: `g${g}` };
      if (j === 0) fields.push({ ...base, label: `Region ${i}`, type: 'select', options: OPTIONS });
      else if (j === 1)
        fields.push({
          ...base,
          label: `District ${i}`,
          type: 'select',
          options: DISTRICTS,
          ...(expressions ? { choiceFilter: `region = \${f${i - 1}}` } : {}),
        });
      else if (j % 5 === 4)
        fields.push({
          ...base,
          label: `Sum ${i}`,
          type: 'decimal',
          ...(expressions ? { calculation: `\${f${i - 1}} + \${f${i - 2}}` } : {}),
        });
      else
        fields.push({
          ...base,
          label: `Reading ${i}`,
          type: 'decimal',
          ...(expressions ? { relevant: `coalesce(\${f${i - 1}}, 1) != -1`, constraint: '. >= 0 and . <= 1000' } : {}),
        });
    }
  }
  if (entries)
    fields.push(
      { key: 'meters', label: 'Meter', type: 'repeat', required: false, max: 100 },
      { key: 'serial', label: 'Serial', type: 'text', required: true, group: 'meters' },
      { key: 'reading', label: 'Reading', type: 'decimal', required: true, group: 'meters', constraint: '. >= 0' },
      { key: 'faulty', label: 'Faulty', type: 'checkbox', required: false, group: 'meters' },
      { key: 'fault', label: 'Fault', type: 'text', required: true, group: 'meters', relevant: '${faulty}' },
      { key: 'total', label: 'Total', type: 'decimal', required: false, calculation: 'sum(${reading})' }
    );
  return fields;
};

const draftOf = (fields: FieldDefinition[]) => {
  const data: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.group === 'meters' || f.type === 'group' || f.calculation) continue;
    if (f.type === 'repeat')
      data[f.key] = Array.from({ length: ENTRIES }, (_, i) => ({
        serial: `M${i}`,
        reading: i,
        ...(i % 5 ? {} : { faulty: true, fault: 'x' }),
      }));
    else if (f.type === 'select') data[f.key] = f.options === OPTIONS ? 'r1' : 'r1d3';
    else data[f.key] = 7;
  }
  return data;
};

const ENTRY = `
import '../site/src/lib/i18n';
import { CaptureStructure } from '../site/src/components/capture-structure';
import { validateCapture } from '../site/src/lib/capture-form';
import { liveFormState } from '../site/src/lib/form-live';
import { dateFormat } from '../site/src/lib/dates';

const dates = dateFormat('en');
const leaf = (d) => {
  const wrap = document.createElement('div');
  wrap.className = 'field';
  wrap.dataset.field = d.key;
  const label = document.createElement('label');
  label.htmlFor = d.id;
  label.textContent = d.label;
  let control;
  if (d.element === 'select') {
    control = document.createElement('select');
    control.append(new Option('Choose…', ''), ...d.options.map((o) => new Option(o.label, o.value)));
  } else if (d.element === 'note') control = document.createElement('p');
  else {
    control = document.createElement('input');
    control.type = d.inputType ?? 'text';
  }
  control.id = d.id;
  control.name = d.name;
  for (const [k, v] of Object.entries(d.attributes)) control.setAttribute(k, v);
  wrap.append(label, control);
  return wrap;
};

window.renderForm = (definition, values) => {
  document.body.innerHTML = '<form><div data-fields></div><p data-review-button><button>Review</button></p></form>';
  const form = document.querySelector('form');
  const t0 = performance.now();
  const structure = new CaptureStructure({ definition, options: { today: '2026-12-02', dates }, renderField: leaf, changed() {} });
  structure.render(form, form.querySelector('[data-fields]'));
  structure.restore(values, false);
  const live = liveFormState(definition, values, '2026-12-02');
  for (const wrap of form.querySelectorAll('[data-field]')) wrap.hidden = !live.visible.has(wrap.dataset.field);
  for (const [key, value] of live.calculated) {
    const c = form.querySelector('[name="' + CSS.escape(key) + '"]');
    if (c) c.value = value === null ? '' : String(value);
  }
  const check = validateCapture(definition, values, { today: '2026-12-02' });
  document.body.offsetHeight; // layout
  return { ms: performance.now() - t0, controls: form.querySelectorAll('input, select').length, ok: check.ok };
};
`;

const main = async () => {
  const bundle = await build({
    stdin: { contents: ENTRY, resolveDir: import.meta.dirname, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    minify: true,
  });
  const server = http.createServer((req, res) => {
    if (req.url === '/render.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundle.outputFiles[0]!.text);
    else
      res
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end('<!doctype html><html lang="en"><title>bench</title><script type="module" src="/render.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const { path: executablePath } = await resolveChromium();
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => 'renderForm' in window);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
    const cases = [
      { name: `200 fields, expressions, ${ENTRIES}-entry repeat`, fields: longForm(true, true) },
      { name: '200 fields, no expressions, no repeat (baseline)', fields: longForm(false, false) },
    ].map((c) => ({ ...c, definition: { fields: c.fields, pages: true }, values: draftOf(c.fields), ms: [] as number[], controls: 0 }));
    for (let i = 0; i <= ITERATIONS; i++)
      for (const c of i % 2 ? [...cases].reverse() : cases) {
        const r = (await page.evaluate(
          ([definition, values]) =>
            (window as unknown as { renderForm: (d: unknown, v: unknown) => unknown }).renderForm(definition, values),
          [c.definition, c.values] as const
        )) as { ms: number; controls: number; ok: boolean };
        if (!r.ok) throw new Error(`${c.name}: the generated draft does not validate`);
        c.controls = r.controls;
        if (i) c.ms.push(r.ms); // the first round warms up
      }
    console.log(`Chromium ${browser.version()}, CPU throttled ${THROTTLE}×, ${ITERATIONS} runs after a warm-up, 390×844 viewport\n`);
    const rows = cases.map((c) => {
      const sorted = [...c.ms].sort((a, b) => a - b);
      return { form: c.name, controls: c.controls, 'p50 ms': percentile(sorted, 50), 'p95 ms': percentile(sorted, 95) };
    });
    console.log(table(rows.map((r) => ({ ...r, 'p50 ms': r['p50 ms'].toFixed(0), 'p95 ms': r['p95 ms'].toFixed(0) }))));
    const p95 = rows[0]['p95 ms'];
    console.log(
      `\nlong form / baseline (p50): ${(rows[0]['p50 ms'] / rows[1]['p50 ms']).toFixed(2)}×; goal interactive ≤ ${GOAL_MS} ms throttled: ${p95 <= GOAL_MS ? 'met' : 'NOT met'} (p95 ${p95.toFixed(0)} ms)`
    );
  } finally {
    await browser.close();
    server.close();
  }
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
