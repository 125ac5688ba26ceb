/**
 * <eas-record-list>: the person's records — rejected ones first with the editor's comment and "Fix and resend",
 * then what is on the phone and what was sent, each named by the form's key field. Filters: waiting, drafts,
 * submitted, rejected. Drafts with something in them can be deleted (after asking).
 */
import { el } from '../lib/dom';
import { recordSummary } from '../../../cms/src/plugins/eas/shared/display';
import type { PublishedForm } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { ApiError } from '../lib/api';
import { getApi, getStore, sessionEnded } from '../lib/app';
import { buildRows, fixLink, matchesFilter, ROW_FILTERS, rowLink, type RecordRow, type RowFilter } from '../lib/record-rows';
import { formatDateTime, t } from '../lib/i18n';
import { badgeClass, statusWord } from '../lib/status-words';

const filterWord = (filter: RowFilter) => t(`recordList.filter.${filter}`);

class RecordList extends HTMLElement {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #rows: RecordRow[] = [];
  #filter: RowFilter = 'all';
  #serverDown = false;

  connectedCallback() {
    const later = () => {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.load(), 300);
    };
    window.addEventListener('eas:sync-done', later);
    window.addEventListener('eas:record-changed', later);
    const bar = this.querySelector<HTMLElement>('[data-filters]')!;
    bar.replaceChildren(
      ...ROW_FILTERS.map((f) => {
        const b = el('button', { type: 'button', className: 'filter' }, filterWord(f));
        b.dataset.filter = f;
        b.setAttribute('aria-pressed', String(f === this.#filter));
        b.addEventListener('click', () => {
          this.#filter = f;
          for (const other of bar.querySelectorAll('button')) other.setAttribute('aria-pressed', String(other === b));
          this.#render();
        });
        return b;
      })
    );
  }

  async load() {
    const store = await getStore();
    const [items, drafts] = await Promise.all([store.listSyncItems(), store.listDrafts()]);
    let server: Parameters<typeof buildRows>[0]['server'] = [];
    this.#serverDown = false;
    try {
      server = (await getApi().listRecords({ pageSize: 30 })).data;
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'unauthorised') sessionEnded();
      this.#serverDown = true;
    }
    const forms = new Map<string, PublishedForm | undefined>();
    for (const d of drafts) {
      const key = `${d.form.slug}@${d.form.version}`;
      if (!forms.has(key)) forms.set(key, await store.getCachedForm(d.form.slug, d.form.version));
    }
    this.#rows = buildRows({
      server,
      items,
      drafts,
      summaryOf: (form, data) => {
        const cached = forms.get(`${form.slug}@${form.version}`);
        return cached ? recordSummary(cached.definition, data) : null;
      },
    }).slice(0, 50);
    this.#render();
  }

  #render() {
    const status = this.querySelector<HTMLElement>('[data-status]')!;
    const rows = this.#rows.filter((r) => matchesFilter(r, this.#filter));
    if (this.#serverDown) {
      status.textContent = rows.length ? t('recordList.serverDown') : t('recordList.serverDownEmpty');
    } else if (!this.#rows.length) {
      status.textContent = t('recordList.none');
    } else {
      status.textContent = rows.length ? '' : t('recordList.noneHere');
    }
    this.querySelector<HTMLUListElement>('[data-records]')!.replaceChildren(...rows.map((row) => this.#renderRow(row)));
  }

  #renderRow(row: RecordRow): HTMLLIElement {
    const li = el('li', { className: `record record-${row.kind}` });
    li.dataset.clientId = row.clientId;
    li.dataset.kind = row.kind;
    const title = el('a', { href: rowLink(row), className: 'record-title' }, row.summary ?? row.form.name);
    const badge = el('span', { className: badgeClass(row.kind) }, statusWord(row.status));
    badge.dataset.status = row.status;
    li.append(el('p', {}, title), el('p', {}, badge));
    const when = formatDateTime(new Date(row.at));
    const meta = [...(row.summary ? [row.form.name] : []), row.reference ?? t('recordList.notSent'), when].join(' · ');
    li.append(el('p', { className: 'muted' }, meta));
    if (row.comment) li.append(el('p', { className: 'comment' }, el('strong', {}, t('record.comment')), ' ', row.comment));
    if (row.error) li.append(el('p', { className: 'error' }, row.error));
    const actions = el('p', { className: 'row-actions' });
    const fix = row.kind === 'rejected' ? fixLink(row) : null;
    if (fix) actions.append(el('a', { href: fix, className: 'button-link' }, t('record.fix')));
    if (row.kind === 'draft' && !row.documentId) {
      const del = el('button', { type: 'button', className: 'secondary' }, t('recordList.delete'));
      del.addEventListener('click', () => void this.#deleteDraft(row));
      actions.append(del);
    }
    if (actions.childNodes.length) li.append(actions);
    return li;
  }

  async #deleteDraft(row: RecordRow) {
    const question = row.summary
      ? t('recordList.confirmDelete', { name: row.summary })
      : t('recordList.confirmDeleteUnnamed', { form: row.form.name });
    if (!confirm(question)) return;
    const store = await getStore();
    await store.deleteDraft(row.clientId);
    this.#rows = this.#rows.filter((r) => r.clientId !== row.clientId);
    this.#render();
  }
}
customElements.define('eas-record-list', RecordList);
