/**
 * The capture site's JavaScript weight per built page (site/dist): the scripts each page loads (the classic boot
 * script in the head, the module scripts and every chunk they import statically), gzipped (level 9). A page's
 * budget (60 KB) is its own JS plus the largest language catalogue, since every page loads exactly one of them
 * (lib/i18n.ts imports the chosen one). The catalogue chunks (site/src/i18n/<lang>.ts) are listed on their own;
 * other chunks loaded on demand (dynamic import(), e.g. EXIF parsing when a photo is taken) are listed separately;
 * the service worker (sw.js, workbox-*.js) is not page JS and is reported for information only. Run after
 * building the site:
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

/** The language catalogues' chunks: Vite names each after its source file, site/src/i18n/<lang>.ts. */
const LANGUAGES = ['en', 'fr', 'es', 'pt', 'ar'];
const ASTRO = path.join(DIST, '_astro');
const catalogues = new Map(
  LANGUAGES.map((lang) => {
    const file = fs.readdirSync(ASTRO).find((f) => new RegExp(`^${lang}\\.[\\w-]+\\.js$`).test(f));
    if (!file) throw new Error(`No catalogue chunk for ${lang} in ${ASTRO}`);
    return [path.join(ASTRO, file), lang] as const;
  })
);
const largestCatalogue = Math.max(...[...catalogues.keys()].map(gz));

const rows: Record<string, string | number>[] = [];
let over = 0;
for (const html of pages(DIST).sort()) {
  const source = fs.readFileSync(html, 'utf8');
  const entries = [...source.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => path.join(DIST, m[1]));
  const classic = [...source.matchAll(/<script(?![^>]*type="module")[^>]*src="([^"]+)"/g)].map((m) => path.join(DIST, m[1]));
  const inline = [...source.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].reduce((n, m) => n + gzipSync(m[1]).length, 0);
  const files = new Set<string>();
  for (const entry of entries) closure(entry, files);
  const own = [...files, ...classic].reduce((n, f) => n + gz(f), 0) + inline;
  const lazy = [...lazyOf(files)].filter((f) => !catalogues.has(f)).reduce((n, f) => n + gz(f), 0);
  const ok = own + largestCatalogue <= BUDGET_KB * 1024;
  if (!ok) over++;
  rows.push({
    page: `/${path.relative(DIST, html).replace(/index\.html$/, '')}`,
    scripts: entries.length + classic.length,
    files: files.size + classic.length,
    'own JS gz KB': kb(own),
    '+ catalogue gz KB': kb(own + largestCatalogue),
    'on demand gz KB': kb(lazy),
    budget: ok ? `ok (≤ ${BUDGET_KB} KB)` : `OVER ${BUDGET_KB} KB`,
  });
}
console.log(table(rows));

console.log('\nLanguage catalogues (one is loaded per page, the chosen language):');
console.log(
  table(
    [...catalogues].map(([file, lang]) => ({
      language: lang,
      chunk: path.basename(file),
      'gz KB': kb(gz(file)),
      'raw KB': kb(fs.statSync(file).size),
    }))
  )
);

const sw = fs.readdirSync(DIST).filter((f) => f === 'sw.js' || /^workbox-.*\.js$/.test(f));
if (sw.length) console.log(`\nService worker (not page JS): ${sw.map((f) => `${f} ${kb(gz(path.join(DIST, f)))} KB gz`).join(', ')}`);
console.log(over ? `\n${over} page(s) over the ${BUDGET_KB} KB budget.` : `\nEvery page within the ${BUDGET_KB} KB budget.`);
