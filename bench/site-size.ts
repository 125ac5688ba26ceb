/**
 * The capture site's JavaScript weight per built page (site/dist): the module scripts each page loads and every
 * chunk they import statically, gzipped (level 9), against the 60 KB budget of a page's own JS. Chunks loaded on
 * demand (dynamic import(), e.g. EXIF parsing when a photo is taken) are listed separately; the service worker
 * (sw.js, workbox-*.js) is not page JS and is reported for information only. Run after building the site:
 *   node_modules/.bin/tsx bench/site-size.ts [--budget=60]
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { arg, table } from './lib';

const DIST = path.resolve(import.meta.dirname, '../site/dist');
const BUDGET_KB = arg('budget', 60);

if (!fs.existsSync(path.join(DIST, 'index.html'))) {
  console.error(`No built site in ${DIST}. Build it first (cd site && astro build).`);
  process.exit(1);
}

const gz = (file: string) => gzipSync(fs.readFileSync(file), { level: 9 }).length;
const kb = (bytes: number) => Number((bytes / 1024).toFixed(1));

const STATIC_IMPORT = /(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g;
const DYNAMIC_IMPORT = /import\(\s*["'](\.{1,2}\/[^"']+\.js)["']\s*\)/g;

/** A module and everything it imports statically (the browser loads them all before running it). */
const closure = (file: string, seen = new Set<string>()): Set<string> => {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = fs.readFileSync(file, 'utf8');
  for (const m of code.matchAll(STATIC_IMPORT)) closure(path.resolve(path.dirname(file), m[1]), seen);
  return seen;
};

const lazyOf = (files: Set<string>) => {
  const lazy = new Set<string>();
  for (const file of files) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(DYNAMIC_IMPORT)) {
      for (const dep of closure(path.resolve(path.dirname(file), m[1]))) if (!files.has(dep)) lazy.add(dep);
    }
  }
  return lazy;
};

const pages = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === '_astro' ? [] : pages(full);
    return e.name.endsWith('.html') ? [full] : [];
  });

const rows: Record<string, string | number>[] = [];
let over = 0;
for (const html of pages(DIST).sort()) {
  const source = fs.readFileSync(html, 'utf8');
  const entries = [...source.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => path.join(DIST, m[1]));
  const inline = [...source.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].reduce((n, m) => n + gzipSync(m[1]).length, 0);
  const files = new Set<string>();
  for (const entry of entries) closure(entry, files);
  const own = [...files].reduce((n, f) => n + gz(f), 0) + inline;
  const lazy = [...lazyOf(files)].reduce((n, f) => n + gz(f), 0);
  const ok = own <= BUDGET_KB * 1024;
  if (!ok) over++;
  rows.push({
    page: `/${path.relative(DIST, html).replace(/index\.html$/, '')}`,
    scripts: entries.length,
    files: files.size,
    'own JS gz KB': kb(own),
    'on demand gz KB': kb(lazy),
    budget: ok ? `ok (≤ ${BUDGET_KB} KB)` : `OVER ${BUDGET_KB} KB`,
  });
}
console.log(table(rows));

const sw = fs.readdirSync(DIST).filter((f) => f === 'sw.js' || /^workbox-.*\.js$/.test(f));
if (sw.length) console.log(`\nService worker (not page JS): ${sw.map((f) => `${f} ${kb(gz(path.join(DIST, f)))} KB gz`).join(', ')}`);
console.log(over ? `\n${over} page(s) over the ${BUDGET_KB} KB budget.` : `\nEvery page within the ${BUDGET_KB} KB budget.`);
