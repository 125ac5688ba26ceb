/**
 * The fields of a form on the page — drawn, filled, shown or hidden, computed, checked — with the shared form logic
 * and validator. One renderer for the capture element (a record on the phone) and the form builder's live preview
 * (/preview/ in the admin's frame): what the administrator tries in the preview is what field staff get.
 */
import type { FormDefinition, PhotoSlotDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import type { RecordData } from '../../../cms/src/plugins/eas/shared/validation/field-rules';
import { readRecordData, validateCapture, type CaptureValidation } from '../lib/capture-form';
import { initialValues } from '../lib/form-live';
import { applyLiveState } from './apply-live-state';
import { CaptureStructure } from './capture-structure';
import { DATES } from './page-dates';
import { renderField } from './render-field';

export interface FormViewHost {
  definition: FormDefinition;
  /** The record's day (YYYY-MM-DD): today() in expressions and defaults. */
  today: string;
  /** The form element the fields are drawn in, and their container inside it. */
  form: HTMLFormElement;
  container: HTMLElement;
  /** Draws a photo field's slot (the capture element's photo slot, with the server's copy when fixing). */
  photoNodes(slot: PhotoSlotDefinition): HTMLElement[];
  /** After any answer changed, or an entry was added or removed. */
  changed(): void;
  /** Next on a paged form: what else on the page must be done first (photos); the first one is focused. */
  pageProblems?(onPage: (key: string) => boolean): HTMLElement[];
}

export class FormView {
  readonly structure: CaptureStructure;
  #host: FormViewHost;

  constructor(host: FormViewHost) {
    this.#host = host;
    this.structure = new CaptureStructure({
      definition: host.definition,
      options: { today: host.today, dates: DATES },
      renderField: (f) => renderField(f, host.definition, (slot) => host.photoNodes(slot)),
      changed: () => {
        this.applyLogic();
        host.changed();
      },
      nextPage: (page) => this.#nextPage(page),
    });
  }

  /** The form's pages (one, unless its layout is `pages`). */
  get pager() {
    return this.structure.pager;
  }

  /** Draws the fields and fills them with `values` (a new record: the form's defaults). */
  render(values: RecordData | null) {
    const { form, container } = this.#host;
    this.structure.render(form, container);
    const started = values !== null && Object.keys(values).length > 0;
    this.structure.restore(started ? values : initialValues(this.#host.definition, this.#host.today), !started);
    this.applyLogic();
    form.addEventListener('input', (e) => this.#onFieldChange(e));
    form.addEventListener('change', (e) => this.#onFieldChange(e));
  }

  /** The answers as the record stores them. */
  data(): RecordData {
    return readRecordData(this.#host.definition, new FormData(this.#host.form), DATES);
  }

  validate(): CaptureValidation {
    return validateCapture(this.#host.definition, this.data(), { today: this.#host.today, dates: DATES });
  }

  /**
   * Shows each field's error as the server would give it (none where the answer is fine); returns the result, the
   * first control of each field in error, and the first field in error.
   */
  showErrors(): { result: CaptureValidation; focusables: HTMLElement[]; firstKey: string | null } {
    const result = this.validate();
    const focusables: HTMLElement[] = [];
    let firstKey: string | null = null;
    for (const f of this.structure.descriptors.values()) {
      const message = result.ok ? null : (result.messages[f.key] ?? null);
      this.setFieldError(f.key, message);
      if (message) {
        const first = this.focusTarget(f.key);
        if (first) focusables.push(first);
        firstKey ??= f.key;
      }
    }
    return { result, focusables, firstKey };
  }

  setFieldError(key: string, message: string | null) {
    const f = this.structure.descriptors.get(key);
    if (!f) return;
    const { form } = this.#host;
    const error = form.querySelector<HTMLElement>(`#${CSS.escape(f.errorId)}`);
    if (error) {
      error.textContent = message ?? '';
      error.hidden = !message;
    }
    form.querySelector<HTMLElement>(`#${CSS.escape(f.id)}`)?.setAttribute('aria-invalid', message ? 'true' : 'false');
  }

  /** The first control of a field (a repeat's Add button when it has no entries). */
  focusTarget(key: string): HTMLElement | null {
    const f = this.structure.descriptors.get(key);
    if (!f) return null;
    const control = this.#host.form.querySelector<HTMLElement>(`#${CSS.escape(f.id)}`);
    return control instanceof HTMLFieldSetElement
      ? control.querySelector<HTMLElement>('input:not([type="hidden"]), select, textarea, button:not([disabled])')
      : control;
  }

  focusField(key: string) {
    this.pager.showPage(this.pager.pageOf(key));
    const target = this.focusTarget(key);
    target?.focus();
    target?.scrollIntoView({ block: 'center' });
  }

  /** Relevance, calculated values and cascading options, live, with the shared form logic (apply-live-state.ts). */
  applyLogic() {
    const { form, definition, today } = this.#host;
    applyLiveState(form, definition, today, this.structure.descriptors, DATES);
  }

  #onFieldChange(event: Event) {
    const target = event.target as HTMLElement;
    const wrap = target.closest<HTMLElement>('[data-field]');
    if (!wrap) return;
    this.applyLogic();
    const key = wrap.dataset.field!;
    this.setFieldError(key, null);
    if (event.type === 'change') {
      // A constraint's own message shows as soon as the answer is given, as the server would refuse it.
      const check = this.validate();
      const own = check.ok ? undefined : check.errors.find((e) => e.key === key && e.code === 'constraint');
      if (own && !check.ok) this.setFieldError(key, check.messages[key]);
    }
    this.#host.changed();
  }

  /** Next on a paged form: the page's own errors first (as the server would give them), else the next page. */
  #nextPage(page: number) {
    const onPage = this.pager.keysOnPage(page);
    const result = this.validate();
    const errors = result.ok ? [] : result.errors.filter((e) => onPage(e.key));
    for (const d of this.structure.descriptors.values()) if (onPage(d.key)) this.setFieldError(d.key, null);
    for (const e of errors) if (!result.ok) this.setFieldError(e.key, result.messages[e.key]);
    const others = this.#host.pageProblems?.(onPage) ?? [];
    if (errors.length) {
      this.focusField(errors[0].key);
      return;
    }
    if (others.length) {
      others[0].focus();
      others[0].scrollIntoView({ block: 'center' });
      return;
    }
    this.pager.showPage(page + 1);
    this.#host.form.scrollIntoView({ block: 'start' });
    this.#host.container
      .querySelector<HTMLElement>(
        ':scope > [data-field]:not([data-off-page]):not([hidden]) input, :scope > [data-field]:not([data-off-page]):not([hidden]) select, :scope > [data-field]:not([data-off-page]):not([hidden]) textarea'
      )
      ?.focus();
  }
}
