/**
 * The public verify page (what a PDF's QR code opens): plain HTML, no script, no external resource, every value
 * escaped, in the viewer's language. Pure: the verify answer in, a page out. Nothing personal is ever shown.
 */
import type { VerifyRecord } from '../../../shared/contracts/record';
import { textDirection } from '../../../shared/i18n/languages';
import { VERIFY_MESSAGES, type VerifyLanguage, type VerifyMessages } from '../../../shared/i18n/verify';
import { escapeHtml } from './pdf-html';
import type { PdfInspection } from './verify-pdf';

export type VerifyOutcome =
  | { kind: 'answer'; answer: VerifyRecord.Response['data'] }
  | { kind: 'not-found'; reference: string }
  | { kind: 'ask'; reference: string }
  /** An uploaded PDF: its seal, and the record it names when the seal is this EAS's (null: none, or not found). */
  | { kind: 'pdf'; inspection: PdfInspection; answer: VerifyRecord.Response['data'] | null }
  | { kind: 'not-pdf' };

const date = (iso: string | null | undefined, lang: VerifyLanguage) =>
  iso ? new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) + ' UTC' : '—';

const partName = (part: string, m: VerifyMessages) => {
  const [kind, name] = part.split(':');
  const word = m.parts[kind as keyof VerifyMessages['parts']] ?? kind;
  return name ? `${word} “${name}”` : word;
};

const CSS = `
  body { font-family: system-ui, 'DejaVu Sans', sans-serif; margin: 0; background: #f5f7f8; color: #1b1f23; }
  main { max-width: 40rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
  h1 { font-size: 1.4rem; color: #0f4c5c; }
  .box { border-radius: 8px; padding: 1rem 1.1rem; margin: 1rem 0; border: 2px solid; background: #fff; }
  .match { border-color: #1e6b35; } .match h2 { color: #1e6b35; }
  .altered { border-color: #a4161a; background: #fbe7e7; } .altered h2 { color: #a4161a; }
  .unknown, .not-found { border-color: #b35c00; } .unknown h2, .not-found h2 { color: #8a4600; }
  .redacted, .ask { border-color: #56606b; }
  h2 { font-size: 1.15rem; margin: 0 0 .5rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: .8rem 0 0; }
  dt { color: #56606b; } dd { margin: 0; overflow-wrap: anywhere; }
  code { font-family: 'DejaVu Sans Mono', monospace; font-size: .85rem; overflow-wrap: anywhere; }
  form { display: grid; gap: .5rem; margin-top: 1rem; }
  input { font: inherit; padding: .55rem; border: 1px solid #9aa5ae; border-radius: 6px; }
  button { font: inherit; padding: .6rem 1rem; border: 0; border-radius: 6px; background: #0f4c5c; color: #fff; justify-self: start; }
  .muted { color: #56606b; font-size: .9rem; }
`;

const box = (kind: string, heading: string, body: string) =>
  `<section class="box ${kind}" role="status"><h2>${escapeHtml(heading)}</h2>${body}</section>`;

const SEAL_BOX = { valid: 'match', foreign: 'altered', invalid: 'altered', missing: 'unknown' } as const;

/** The seal of an uploaded PDF, then (when it is this EAS's) what the record it names says. */
const pdfContent = (inspection: PdfInspection, answer: VerifyRecord.Response['data'] | null, lang: VerifyLanguage) => {
  const m = VERIFY_MESSAGES[lang];
  const words = m.pdf.seal[inspection.seal];
  const facts = [
    ...(inspection.signer && inspection.seal !== 'missing' ? [[m.pdf.sealedBy, escapeHtml(inspection.signer)]] : []),
    ...(inspection.timestampedAt && inspection.seal === 'valid'
      ? [[m.pdf.sealedAt, escapeHtml(date(inspection.timestampedAt, lang))]]
      : []),
  ];
  const dl = facts.length ? `<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl>` : '';
  const seal = box(SEAL_BOX[inspection.seal], words.heading, `<p>${escapeHtml(words.body)}</p>${dl}`);
  return seal + (answer ? answerBox(answer, inspection.hash, lang) : '');
};

const answerBox = (a: VerifyRecord.Response['data'], hash: string | null, lang: VerifyLanguage): string => {
  const m = VERIFY_MESSAGES[lang];
  let content: string;
  const facts = [
    [m.reference, `<code>${escapeHtml(a.reference)}</code>`],
    ...(hash ? [[m.hash, `<code>${escapeHtml(hash)}</code>`]] : []),
    ...(a.status ? [[m.status, escapeHtml(m.statuses[a.status])]] : []),
    ...(a.submittedAt !== undefined ? [[m.submitted, escapeHtml(date(a.submittedAt, lang))]] : []),
    [m.checked, escapeHtml(date(a.checkedAt, lang))],
  ];
  const dl = `<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
  if (a.result === 'match') content = box('match', m.match.heading, `<p>${escapeHtml(m.match.body)}</p>${dl}`);
  else if (a.result === 'altered') {
    const parts = (a.altered ?? []).map((p) => `<li>${escapeHtml(partName(p, m))}</li>`).join('');
    content = box(
      'altered',
      m.altered.heading,
      `<p>${escapeHtml(m.altered.body)}</p><p><strong>${escapeHtml(m.altered.parts)}:</strong></p><ul>${parts}</ul><p>${escapeHtml(m.altered.todo)}</p>${dl}`
    );
  } else if (a.result === 'redacted')
    content = box('redacted', m.redacted.heading, `<p>${escapeHtml(m.redacted.body.replace('{date}', date(a.redactedAt, lang)))}</p>${dl}`);
  else {
    const earlier = a.earlierVersion ? `<p>${escapeHtml(m.earlier.replace('{date}', date(a.earlierVersion.submittedAt, lang)))}</p>` : '';
    content = box('unknown', m.unknown.heading, `<p>${escapeHtml(m.unknown.body)}</p>${earlier}<p>${escapeHtml(m.unknown.todo)}</p>${dl}`);
  }
  return content;
};

/** Any page offers to check a PDF file (POST /verify, multipart field "pdf"; the file is not kept). */
const uploadForm = (
  m: VerifyMessages,
  lang: VerifyLanguage
) => `<form method="post" action="/verify?lang=${escapeHtml(lang)}" enctype="multipart/form-data">
    <h2>${escapeHtml(m.pdf.heading)}</h2>
    <label for="pdf">${escapeHtml(m.pdf.label)}</label>
    <input id="pdf" name="pdf" type="file" accept="application/pdf,.pdf" required>
    <p class="muted">${escapeHtml(m.pdf.hint)}</p>
    <button type="submit">${escapeHtml(m.pdf.button)}</button></form>`;

export const renderVerifyPage = (outcome: VerifyOutcome, lang: VerifyLanguage, hash: string | null): string => {
  const m = VERIFY_MESSAGES[lang];
  const reference =
    outcome.kind === 'answer'
      ? outcome.answer.reference
      : outcome.kind === 'pdf'
        ? (outcome.inspection.reference ?? '')
        : outcome.kind === 'not-pdf'
          ? ''
          : outcome.reference;
  let content: string;
  if (outcome.kind === 'not-found') content = box('not-found', m.notFound.heading, `<p>${escapeHtml(m.notFound.body)}</p>`);
  else if (outcome.kind === 'ask') content = box('ask', m.title, `<p>${escapeHtml(m.askHash)}</p>`);
  else if (outcome.kind === 'not-pdf') content = box('unknown', m.pdf.heading, `<p>${escapeHtml(m.pdf.notPdf)}</p>`);
  else if (outcome.kind === 'pdf') content = pdfContent(outcome.inspection, outcome.answer, lang);
  else content = answerBox(outcome.answer, hash, lang);
  const form = `<form method="get" action="/verify/${encodeURIComponent(reference)}">
    <label for="hash">${escapeHtml(m.hash)}</label>
    <input id="hash" name="hash" inputmode="latin" autocomplete="off" spellcheck="false" pattern="[0-9a-fA-F]{64}" value="${escapeHtml(hash ?? '')}" required>
    <input type="hidden" name="lang" value="${escapeHtml(lang)}">
    <button type="submit">${escapeHtml(m.check)}</button></form>`;
  return `<!doctype html>
<html lang="${lang}" dir="${textDirection(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(reference ? `${m.title} — ${reference}` : m.title)}</title>
<style>${CSS}</style></head>
<body><main>
<h1>${escapeHtml(m.title)}</h1>
<p>${escapeHtml(m.intro)}</p>
${content}
${(outcome.kind === 'answer' && outcome.answer.result === 'match') || outcome.kind === 'pdf' || outcome.kind === 'not-pdf' ? '' : form}
${uploadForm(m, lang)}
<p class="muted">${escapeHtml(m.privacy)}</p>
</main></body></html>`;
};
