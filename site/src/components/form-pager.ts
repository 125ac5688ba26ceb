/**
 * The pages of a form with the `pages` layout: one page at a time, with its progress and Back / Next; photos,
 * signatures and Review on the last page. The pages follow the shared form structure
 * (shared/validation/form-structure.ts); what Next checks first is the owner's (form-view.ts).
 */
import type { FormDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { formPages, formStructure, parseEntryKey, type FormPage } from '../../../cms/src/plugins/eas/shared/validation/form-structure';
import { el } from '../lib/dom';
import { formatNumber, t } from '../lib/i18n';

export class FormPager {
  readonly pages: FormPage[];
  #definition: FormDefinition;
  /** What Next does (the view checks the page with the shared validator, then calls showPage). */
  #onNext: (page: number) => void;
  #form!: HTMLFormElement;
  #page = 0;

  constructor(definition: FormDefinition, onNext: (page: number) => void) {
    this.#definition = definition;
    this.#onNext = onNext;
    this.pages = formPages(definition);
  }

  /** Adds the progress above the fields in `container` and Back / Next below, and shows the first page. */
  render(form: HTMLFormElement, container: HTMLElement) {
    this.#form = form;
    if (this.pages.length <= 1) return;
    const progress = el('progress', { max: this.pages.length, value: 1 });
    const label = el('p', { className: 'muted' });
    label.dataset.pageLabel = '';
    label.setAttribute('aria-live', 'polite');
    const back = el('button', { type: 'button', className: 'secondary' }, t('capture.previousPage'));
    back.dataset.pageBack = '';
    const next = el('button', { type: 'button' }, t('capture.nextPage'));
    next.dataset.pageNext = '';
    back.addEventListener('click', () => this.showPage(this.#page - 1));
    next.addEventListener('click', () => this.#onNext(this.#page));
    container.before(el('div', { className: 'page-progress' }, label, progress));
    container.after(el('div', { className: 'actions pager-actions' }, back, next));
    this.showPage(0);
  }

  get page() {
    return this.#page;
  }

  get lastPage() {
    return this.#page >= this.pages.length - 1;
  }

  /** The page a field (or an entry's field) is on. */
  pageOf(key: string): number {
    const top = parseEntryKey(key)?.repeat ?? key;
    const { ancestors } = formStructure(this.#definition.fields);
    const chain = ancestors.get(top) ?? [];
    const root = chain.length ? chain[chain.length - 1] : top;
    const i = this.pages.findIndex((p) => p.keys.includes(root));
    return i === -1 ? this.pages.length - 1 : i;
  }

  /** Shows one page: its fields; photos, signatures and Review on the last one. */
  showPage(index: number) {
    if (this.pages.length <= 1) return;
    this.#page = Math.min(Math.max(index, 0), this.pages.length - 1);
    const keys = new Set(this.pages[this.#page].keys);
    for (const wrap of this.#form.querySelectorAll<HTMLElement>('[data-fields] > [data-field]'))
      wrap.toggleAttribute('data-off-page', !keys.has(wrap.dataset.field!));
    for (const part of this.#form.querySelectorAll<HTMLElement>('[data-photos], [data-signatures], [data-review-button]'))
      part.toggleAttribute('data-off-page', !this.lastPage);
    const label = this.#form.querySelector<HTMLElement>('[data-page-label]')!;
    label.textContent = t('capture.page', { number: formatNumber(this.#page + 1), total: formatNumber(this.pages.length) });
    this.#form.querySelector<HTMLProgressElement>('.page-progress progress')!.value = this.#page + 1;
    this.#form.querySelector<HTMLButtonElement>('[data-page-back]')!.hidden = this.#page === 0;
    this.#form.querySelector<HTMLButtonElement>('[data-page-next]')!.hidden = this.lastPage;
  }

  /** The keys on the page now (their entries' fields included). */
  keysOnPage(page: number): (key: string) => boolean {
    return (key) => this.pageOf(key) === page;
  }
}
