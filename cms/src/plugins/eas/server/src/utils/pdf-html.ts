/**
 * The HTML of an evidence PDF: a pure function of the record's content (no Strapi, no I/O). Every value is escaped;
 * images arrive as data: URLs; a CSP forbids loading anything else. Chromium prints it (see pdf-pool.ts).
 */

export type PdfField =
  | { label: string; display: string }
  | { heading: string }
  | { table: { caption: string; columns: string[]; rows: string[][] } };

/** The answers as printed: a list of labels and values, broken by group headings and repeat tables. */
const fieldsHtml = (fields: PdfField[], iso: (s: string) => string): string => {
  if (!fields.length) return '<dl class="fields"><div><dt>—</dt><dd>No fields</dd></div></dl>';
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length) out.push(`<dl class="fields">${run.join('')}</dl>`);
    run = [];
  };
  for (const f of fields) {
    if ('heading' in f) {
      flush();
      out.push(`<h3>${iso(f.heading)}</h3>`);
    } else if ('table' in f) {
      flush();
      const { caption, columns, rows } = f.table;
      out.push(
        `<table class="entries"><caption>${iso(caption)}</caption><thead><tr><th>#</th>${columns.map((c) => `<th>${iso(c)}</th>`).join('')}</tr></thead>` +
          `<tbody>${rows.map((r, i) => `<tr><td>${i + 1}</td>${r.map((v) => `<td dir="auto">${escapeHtml(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
      );
    } else run.push(`<div><dt>${iso(f.label)}</dt><dd dir="auto">${escapeHtml(f.display)}</dd></div>`);
  }
  flush();
  return out.join('\n');
};

export interface PdfRecordInput {
  title: string;
  form: { name: string; version: number };
  reference: string;
  status: string;
  owner: string | null;
  capturedAt: string | null;
  submittedAt: string | null;
  reviewedAt: string | null;
  reviewComment: string | null;
  location: { lat: number; lng: number; accuracy?: number } | null;
  /** In the form's order: answers, group headings, and each repeat as a table (one row per entry). */
  fields: PdfField[];
  photos: { label: string; dataUrl: string; takenAt: string | null; sha256: string; redacted?: boolean }[];
  signatures: {
    role: string;
    signerName: string;
    signedAt: string | null;
    consentText: string;
    sha256: string;
    dataUrl: string;
    /** The content hash the signature endorses, and whether that is the record's content as printed. */
    contentHash: string | null;
    bound: boolean;
    redacted?: boolean;
  }[];
  integrityHash: string | null;
  /** The integrity check made while printing: an altered record says so on every copy. */
  integrity: { status: 'intact' | 'altered' | 'redacted'; altered: string[]; computedHash: string };
  redactedAt: string | null;
  verifyUrl: string | null;
  qrSvg: string | null;
  footerText: string | null;
  generatedAt: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Only data: URLs of the image types we produce are ever placed in src attributes. */
const safeImage = (dataUrl: string) => (/^data:image\/(jpeg|png|svg\+xml);base64,[A-Za-z0-9+/=]+$/.test(dataUrl) ? dataUrl : '');

const when = (iso: string | null) => {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
};

const STATUS_LABEL: Record<string, string> = { draft: 'Draft', submitted: 'Submitted', approved: 'Approved', rejected: 'Rejected' };

const CSS = `
  @page { size: A4; margin: 18mm 16mm 20mm 16mm; }
  * { box-sizing: border-box; }
  body { font-family: 'DejaVu Sans', 'Noto Sans', 'WenQuanYi Micro Hei', 'Noto Color Emoji', sans-serif; font-size: 9.5pt; color: #1b1f23; margin: 0; }
  header.doc { display: flex; justify-content: space-between; align-items: flex-start; border-bottom: 2px solid #0f4c5c; padding-bottom: 8px; margin-bottom: 12px; }
  header.doc h1 { font-size: 17pt; margin: 0 0 2px; color: #0f4c5c; }
  header.doc .sub { color: #56606b; }
  .ref { text-align: right; }
  .ref .code { font-size: 13pt; font-weight: bold; letter-spacing: 0.5px; }
  .badge { display: inline-block; padding: 2px 8px; border-radius: 10px; font-size: 8pt; font-weight: bold; text-transform: uppercase; background: #e8eef0; color: #0f4c5c; }
  .badge.approved { background: #e3f4e8; color: #1e6b35; } .badge.rejected { background: #fbe7e7; color: #a4161a; }
  table.meta { width: 100%; border-collapse: collapse; margin-bottom: 12px; }
  table.meta td { padding: 3px 6px; vertical-align: top; border-bottom: 1px solid #e4e8eb; }
  table.meta td.k { width: 24%; color: #56606b; }
  h2 { font-size: 11pt; color: #0f4c5c; margin: 16px 0 6px; border-bottom: 1px solid #d4dae0; padding-bottom: 3px; break-after: avoid; }
  /* One flex row per answer (label, then value, in reading order for text extraction). Not a grid: Chromium moves a
     grid row taller than the rest of the page to the next page whole, leaving page 1 nearly empty; a flex row's
     value runs on across pages. */
  dl.fields { margin: 0; }
  dl.fields > div { display: flex; border-bottom: 1px solid #eef1f3; }
  dl.fields dt { flex: 0 0 32%; box-sizing: border-box; padding: 4px 6px; margin: 0; color: #56606b; }
  dl.fields dd { flex: 1 1 68%; min-width: 0; padding: 4px 6px; margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  h3 { font-size: 10.5pt; margin: 10px 0 2px; color: #2b3340; }
  table.entries { width: 100%; border-collapse: collapse; margin: 6px 0; font-size: 9pt; }
  table.entries caption { text-align: start; font-weight: 600; padding: 2px 0; }
  table.entries th, table.entries td { border: 1px solid #dde2e7; padding: 3px 5px; text-align: start; vertical-align: top; overflow-wrap: anywhere; }
  table.entries th { background: #f3f5f7; color: #56606b; font-weight: 600; }
  table.entries tr { break-inside: avoid; }
  .photos { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; break-inside: avoid; }
  figure { margin: 0; border: 1px solid #d4dae0; border-radius: 4px; padding: 6px; break-inside: avoid; }
  figure img { width: 100%; height: 60mm; object-fit: contain; display: block; background: #f5f7f8; }
  figcaption { font-size: 8pt; color: #56606b; margin-top: 4px; }
  .hash { font-family: 'DejaVu Sans Mono', monospace; font-size: 7.5pt; overflow-wrap: anywhere; color: #1b1f23; }
  .sig { display: grid; grid-template-columns: 45% 55%; gap: 10px; border: 1px solid #d4dae0; border-radius: 4px; padding: 8px; margin-bottom: 8px; break-inside: avoid; }
  .sig img { max-width: 100%; max-height: 35mm; display: block; }
  .consent { font-style: italic; color: #333; white-space: pre-wrap; }
  .integrity { display: grid; grid-template-columns: 1fr 34mm; gap: 12px; align-items: center; border: 1px solid #0f4c5c; border-radius: 4px; padding: 10px; break-inside: avoid; margin-top: 8px; }
  .integrity svg { width: 34mm; height: 34mm; }
  .muted { color: #56606b; }
  .alert { border: 2px solid #a4161a; background: #fbe7e7; color: #7a0f12; border-radius: 4px; padding: 8px 10px; margin-bottom: 12px; break-inside: avoid; }
  .bound { color: #1e6b35; } .unbound { color: #a4161a; font-weight: bold; }
`;

const row = (k: string, v: string) => `<tr><td class="k">${escapeHtml(k)}</td><td>${v}</td></tr>`;

/** A value isolated from its neighbours, so that right-to-left text or direction marks in it cannot reorder the page. */
const iso = (value: unknown) => `<bdi>${escapeHtml(value)}</bdi>`;

const photoFigure = (p: PdfRecordInput['photos'][number]) =>
  p.redacted
    ? `<figure><div class="muted" style="height:60mm;display:flex;align-items:center;justify-content:center">Photo removed by redaction</div>
        <figcaption><strong>${iso(p.label)}</strong><br><span class="hash">SHA-256 ${escapeHtml(p.sha256)}</span></figcaption></figure>`
    : `<figure><img src="${safeImage(p.dataUrl)}" alt="${escapeHtml(p.label)}">
        <figcaption><strong>${iso(p.label)}</strong> · taken ${escapeHtml(when(p.takenAt))}<br><span class="hash">SHA-256 ${escapeHtml(p.sha256)}</span></figcaption></figure>`;

const binding = (s: PdfRecordInput['signatures'][number], redactedRecord: boolean) => {
  if (!s.contentHash)
    return '<div class="unbound">Not bound to the record’s content (signed before EAS recorded what signatures endorse).</div>';
  if (s.bound)
    return `<div class="bound">✓ Given over the content of this record as printed (content hash <span class="hash">${escapeHtml(s.contentHash)}</span>).</div>`;
  if (redactedRecord)
    return `<div class="muted">Given over the content as submitted (content hash <span class="hash">${escapeHtml(s.contentHash)}</span>); parts of it were redacted since.</div>`;
  return `<div class="unbound">⚠ Given over different content (content hash <span class="hash">${escapeHtml(s.contentHash)}</span>): the record changed after this signature.</div>`;
};

const signatureBlock = (s: PdfRecordInput['signatures'][number], redactedRecord: boolean) => `<div class="sig"><div>${
  safeImage(s.dataUrl)
    ? `<img src="${safeImage(s.dataUrl)}" alt="Signature of ${escapeHtml(s.signerName)}">`
    : s.redacted
      ? '<div class="muted">Signature removed by redaction</div>'
      : ''
}</div>
        <div><div><strong>${iso(s.signerName || (s.redacted ? 'Name redacted' : '—'))}</strong> — ${iso(s.role)}</div>
        <div class="muted">Signed ${escapeHtml(when(s.signedAt))}</div>
        <p class="consent">“${iso(s.consentText)}”</p>
        ${binding(s, redactedRecord)}
        <div class="hash">SHA-256 ${escapeHtml(s.sha256)}</div></div></div>`;

const alert = (r: PdfRecordInput) => {
  if (r.integrity.status === 'altered') {
    return `<div class="alert"><strong>Integrity check failed.</strong> This record no longer matches what EAS recorded (${escapeHtml(r.integrity.altered.join(', '))}).
      What this document shows is the record as it is stored now; it must not be relied on as evidence. The recorded hash was ${escapeHtml(r.integrityHash ?? '—')};
      the content printed here hashes to ${escapeHtml(r.integrity.computedHash)}.</div>`;
  }
  if (r.redactedAt)
    return `<div class="alert" style="border-color:#56606b;background:#f1f3f5;color:#1b1f23">Parts of this record were redacted on ${escapeHtml(when(r.redactedAt))} at a data-protection request.</div>`;
  return '';
};

export const renderRecordHtml = (r: PdfRecordInput): string => {
  const status = STATUS_LABEL[r.status] ?? r.status;
  const location = r.location
    ? `${r.location.lat.toFixed(6)}, ${r.location.lng.toFixed(6)}${r.location.accuracy !== undefined ? ` (±${Math.round(r.location.accuracy)} m)` : ''}`
    : null;
  const photos = r.photos
    .filter((p) => safeImage(p.dataUrl) || p.redacted)
    .map(photoFigure)
    .join('');
  const signatures = r.signatures.map((s) => signatureBlock(s, Boolean(r.redactedAt))).join('');
  const qr = r.qrSvg && /^<svg[\s>]/.test(r.qrSvg.trim()) && !/<script|on\w+=|href=/i.test(r.qrSvg) ? r.qrSvg : '';

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${escapeHtml(`${r.title} — ${r.reference}`)}</title>
<style>${CSS}</style></head>
<body>
<header class="doc">
  <div><h1>${iso(r.title)}</h1><div class="sub">${iso(r.form.name)} · form version ${escapeHtml(r.form.version)}</div></div>
  <div class="ref"><div class="code">${escapeHtml(r.reference)}</div><span class="badge ${escapeHtml(r.status)}">${escapeHtml(status)}</span></div>
</header>
${alert(r)}
<table class="meta">
  ${row('Captured by', iso(r.owner ?? '—'))}
  ${row('Captured', escapeHtml(when(r.capturedAt)))}
  ${row('Submitted', escapeHtml(when(r.submittedAt)))}
  ${r.reviewedAt ? row('Reviewed', escapeHtml(when(r.reviewedAt)) + (r.reviewComment ? ` — ${iso(r.reviewComment)}` : '')) : ''}
  ${location ? row('Location', escapeHtml(location)) : ''}
</table>
<h2>Recorded information</h2>
${fieldsHtml(r.fields, iso)}
${photos ? `<h2>Photos</h2><div class="photos">${photos}</div>` : ''}
${signatures ? `<h2>Signatures</h2>${signatures}` : ''}
<h2>Integrity</h2>
<div class="integrity"><div>
  <div>Integrity hash (SHA-256 over the record and its files):</div>
  <div class="hash" style="font-size:9pt;margin:4px 0">${escapeHtml(r.integrityHash ?? 'not yet computed')}</div>
  ${r.verifyUrl ? `<div class="muted">Check it: scan the code or open <span class="hash">${escapeHtml(r.verifyUrl)}</span></div>` : ''}
  <div class="muted">Document generated ${escapeHtml(when(r.generatedAt))}.</div>
</div><div>${qr}</div></div>
</body></html>`;
};

/** Chromium's footer: page numbers and the form's footer text on every page (escaped; it is HTML too). */
export const footerTemplate = (footerText: string | null, reference: string) => `
<div style="width:100%;font-size:7.5pt;color:#56606b;padding:0 16mm;display:flex;justify-content:space-between;font-family:'DejaVu Sans',sans-serif">
  <span>${escapeHtml(footerText ?? '')}</span>
  <span>${escapeHtml(reference)} · page <span class="pageNumber"></span> of <span class="totalPages"></span></span>
</div>`;
