import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import puppeteer from 'puppeteer-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, resolveChromium } from '../chromium';
import { renderRecordHtml, type PdfRecordInput } from '../pdf-html';
import { createPdfPool, type PdfPool } from '../pdf-pool';

const base: PdfRecordInput = {
  title: 'Inspection report',
  form: { name: 'Site inspection', version: 1 },
  reference: 'EAS-2026-000777',
  status: 'submitted',
  owner: 'field.demo',
  capturedAt: '2026-05-01T09:30:00.000Z',
  submittedAt: '2026-05-01T09:40:00.000Z',
  reviewedAt: null,
  reviewComment: null,
  location: null,
  fields: [],
  photos: [],
  signatures: [],
  integrityHash: 'f'.repeat(64),
  integrity: { status: 'intact', altered: [], computedHash: 'f'.repeat(64) },
  redactedAt: null,
  verifyUrl: null,
  qrSvg: null,
  footerText: null,
  generatedAt: '2026-05-02T10:00:00.000Z',
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-pdf-layout-'));
let n = 0;
/** pdftotext (poppler) of one page, laid out as printed. */
const pageText = (pdf: Buffer, page: number) => {
  const file = path.join(tmp, `${n++}.pdf`);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });
};
const pages = (pdf: Buffer) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', ['-'], { input: pdf, encoding: 'utf8' }))![1]);

describe('evidence PDF layout, printed by Chromium', () => {
  let pool: PdfPool;
  beforeAll(async () => {
    const chromium = await resolveChromium();
    pool = createPdfPool({
      launch: () => puppeteer.launch({ executablePath: chromium.path, headless: true, args: CHROMIUM_ARGS }),
      concurrency: 1,
      timeoutMs: 30_000,
    });
  });
  afterAll(async () => {
    await pool.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  const render = (fields: PdfRecordInput['fields']) =>
    pool.render(renderRecordHtml({ ...base, fields }), { margin: { top: '16mm', bottom: '18mm' } });

  it('lets a very long first value run on from page 1 instead of leaving page 1 nearly empty', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `Line ${i + 1} of the inspector's account.`).join('\n');
    const pdf = await render([
      { label: 'Account', display: long },
      { label: 'Site name', display: 'North depot' },
    ]);
    expect(pages(pdf)).toBeGreaterThan(2);
    const first = pageText(pdf, 1);
    expect(first).toContain('Account');
    expect(first).toContain('Line 1 of the inspector');
    // Most of page 1 carries the value, not white space: many of its lines are on it.
    expect((first.match(/Line \d+ of the inspector/g) ?? []).length).toBeGreaterThan(20);
    // Each label is read with its value (text order), and the next answer follows the long one.
    const all = execFileSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(all).toMatch(/Account Line 1 of the inspector/);
    expect(all).toMatch(/Line 400 of the inspector's account\. Site name North depot/);
  });

  it('prints an Arabic value right to left with its punctuation where Arabic puts it, and an emoji as a glyph', async () => {
    const pdf = await render([
      { label: 'Comment', display: 'العداد مكسور!' },
      { label: 'Mood', display: '💧' },
    ]);
    const text = pageText(pdf, 1);
    // pdftotext writes the line in visual order: the "!" that ends the Arabic sentence is at its left.
    expect(text).toMatch(/!\u202b?العداد مكسور/u);
    // The emoji area is not blank: render page 1 and look at the pixels right of the "Mood" label's row.
    const png = path.join(tmp, 'page');
    execFileSync('pdftoppm', ['-png', '-r', '72', '-f', '1', '-l', '1', '-singlefile', '-', png], { input: pdf });
    const { data, info } = await sharp(`${png}.png`).raw().toBuffer({ resolveWithObject: true });
    let coloured = 0;
    for (let i = 0; i < data.length; i += info.channels) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++; // a colour emoji, not grey text or a tofu box
    }
    expect(coloured).toBeGreaterThan(20);
  });
});
