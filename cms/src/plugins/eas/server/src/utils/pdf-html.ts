/**
 * The HTML of an evidence PDF: a pure function of the record's content (no Strapi, no I/O). Every value is escaped;
 * images arrive as data: URLs; a CSP forbids loading anything else. Chromium prints it (see pdf-pool.ts).
 */

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
  fields: { label: string; display: string }[];
  photos: { label: string; dataUrl: string; takenAt: string | null; sha256: string }[];
  signatures: { role: string; signerName: string; signedAt: string | null; consentText: string; sha256: string; dataUrl: string }[];
  integrityHash: string | null;
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
  body { font-family: 'DejaVu Sans', 'Noto Sans', 'WenQuanYi Micro Hei', sans-serif; font-size: 9.5pt; color: #1b1f23; margin: 0; }
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
  dl.fields { margin: 0; display: grid; grid-template-columns: 32% 68%; }
  dl.fields dt, dl.fields dd { padding: 4px 6px; margin: 0; border-bottom: 1px solid #eef1f3; break-inside: avoid; }
  dl.fields dt { color: #56606b; }
  dl.fields dd { white-space: pre-wrap; overflow-wrap: anywhere; }
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
`;

const row = (k: string, v: string) => `<tr><td class="k">${escapeHtml(k)}</td><td>${v}</td></tr>`;

export const renderRecordHtml = (r: PdfRecordInput): string => {
  const status = STATUS_LABEL[r.status] ?? r.status;
  const location = r.location
    ? `${r.location.lat.toFixed(6)}, ${r.location.lng.toFixed(6)}${r.location.accuracy !== undefined ? ` (±${Math.round(r.location.accuracy)} m)` : ''}`
    : null;
  const photos = r.photos
    .filter((p) => safeImage(p.dataUrl))
    .map(
      (p) => `<figure><img src="${safeImage(p.dataUrl)}" alt="${escapeHtml(p.label)}">
        <figcaption><strong>${escapeHtml(p.label)}</strong> · taken ${escapeHtml(when(p.takenAt))}<br><span class="hash">SHA-256 ${escapeHtml(p.sha256)}</span></figcaption></figure>`
    )
    .join('');
  const signatures = r.signatures
    .map(
      (s) => `<div class="sig"><div>${safeImage(s.dataUrl) ? `<img src="${safeImage(s.dataUrl)}" alt="Signature of ${escapeHtml(s.signerName)}">` : ''}</div>
        <div><div><strong>${escapeHtml(s.signerName)}</strong> — ${escapeHtml(s.role)}</div>
        <div class="muted">Signed ${escapeHtml(when(s.signedAt))}</div>
        <p class="consent">“${escapeHtml(s.consentText)}”</p>
        <div class="hash">SHA-256 ${escapeHtml(s.sha256)}</div></div></div>`
    )
    .join('');
  const qr = r.qrSvg && /^<svg[\s>]/.test(r.qrSvg.trim()) && !/<script|on\w+=|href=/i.test(r.qrSvg) ? r.qrSvg : '';

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${escapeHtml(`${r.title} — ${r.reference}`)}</title>
<style>${CSS}</style></head>
<body>
<header class="doc">
  <div><h1>${escapeHtml(r.title)}</h1><div class="sub">${escapeHtml(r.form.name)} · form version ${escapeHtml(r.form.version)}</div></div>
  <div class="ref"><div class="code">${escapeHtml(r.reference)}</div><span class="badge ${escapeHtml(r.status)}">${escapeHtml(status)}</span></div>
</header>
<table class="meta">
  ${row('Captured by', escapeHtml(r.owner ?? '—'))}
  ${row('Captured', escapeHtml(when(r.capturedAt)))}
  ${row('Submitted', escapeHtml(when(r.submittedAt)))}
  ${r.reviewedAt ? row('Reviewed', escapeHtml(when(r.reviewedAt)) + (r.reviewComment ? ` — ${escapeHtml(r.reviewComment)}` : '')) : ''}
  ${location ? row('Location', escapeHtml(location)) : ''}
</table>
<h2>Recorded information</h2>
<dl class="fields">${r.fields.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.display)}</dd>`).join('') || '<dt>—</dt><dd>No fields</dd>'}</dl>
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
