/**
 * The public verify page (what a PDF's QR code opens): plain HTML, no script, no external resource, every value
 * escaped, in the viewer's language. Pure: the verify answer in, a page out. Nothing personal is ever shown.
 */
import type { VerifyRecord } from '../../../shared/contracts/record';
import { textDirection } from '../../../shared/i18n/languages';
import { VERIFY_MESSAGES, type VerifyLanguage, type VerifyMessages } from '../../../shared/i18n/verify';
import { escapeHtml } from './pdf-html';

export type VerifyOutcome =
  | { kind: 'answer'; answer: VerifyRecord.Response['data'] }
  | { kind: 'not-found'; reference: string }
  | { kind: 'ask'; reference: string };

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

export const renderVerifyPage = (outcome: VerifyOutcome, lang: VerifyLanguage, hash: string | null): string => {
  const m = VERIFY_MESSAGES[lang];
  const reference = outcome.kind === 'answer' ? outcome.answer.reference : outcome.reference;
  let content: string;
  if (outcome.kind === 'not-found') content = box('not-found', m.notFound.heading, `<p>${escapeHtml(m.notFound.body)}</p>`);
  else if (outcome.kind === 'ask') content = box('ask', m.title, `<p>${escapeHtml(m.askHash)}</p>`);
  else {
    const a = outcome.answer;
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
      content = box(
        'redacted',
        m.redacted.heading,
        `<p>${escapeHtml(m.redacted.body.replace('{date}', date(a.redactedAt, lang)))}</p>${dl}`
      );
    else {
      const earlier = a.earlierVersion ? `<p>${escapeHtml(m.earlier.replace('{date}', date(a.earlierVersion.submittedAt, lang)))}</p>` : '';
      content = box(
        'unknown',
        m.unknown.heading,
        `<p>${escapeHtml(m.unknown.body)}</p>${earlier}<p>${escapeHtml(m.unknown.todo)}</p>${dl}`
      );
    }
  }
  const form = `<form method="get" action="/verify/${encodeURIComponent(reference)}">
    <label for="hash">${escapeHtml(m.hash)}</label>
    <input id="hash" name="hash" inputmode="latin" autocomplete="off" spellcheck="false" pattern="[0-9a-fA-F]{64}" value="${escapeHtml(hash ?? '')}" required>
    <input type="hidden" name="lang" value="${escapeHtml(lang)}">
    <button type="submit">${escapeHtml(m.check)}</button></form>`;
  return `<!doctype html>
<html lang="${lang}" dir="${textDirection(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(`${m.title} — ${reference}`)}</title>
<style>${CSS}</style></head>
<body><main>
<h1>${escapeHtml(m.title)}</h1>
<p>${escapeHtml(m.intro)}</p>
${content}
${outcome.kind === 'answer' && outcome.answer.result === 'match' ? '' : form}
<p class="muted">${escapeHtml(m.privacy)}</p>
</main></body></html>`;
};
