/**
 * The fields of a form on the page — drawn, filled, shown or hidden, computed, checked — with the shared form logic
 * and validator. One renderer for the capture element (a record on the phone) and the form builder's live preview
 * (/preview/ in the admin's frame): what the administrator tries in the preview is what field staff get.
 */
import type { FieldOption, FormDefinition, PhotoSlotDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import type { RecordData } from '../../../cms/src/plugins/eas/shared/validation/field-rules';
import { photoSlot } from '../../../cms/src/plugins/eas/shared/photo-slots';
import {
  inputValue,
  readRawData,
  readRecordData,
  validateCapture,
  type CaptureValidation,
  type FieldDescriptor,
} from '../lib/capture-form';
import { dateFormat, localeFor } from '../lib/dates';
import { el } from '../lib/dom';
import { initialValues, liveFormState } from '../lib/form-live';
import { t } from '../lib/i18n';
import { CaptureStructure } from './capture-structure';
import { barcodeInput, geopointInput } from './field-inputs';

/** Dates typed and shown in the page's language (the browser's own variant of it when it has one). */
export const DATES = dateFormat(localeFor(document.documentElement.lang || 'en', navigator.languages ?? []));

const requiredMark = () => {
  const span = el('span', { className: 'req' }, ' *');
  span.setAttribute('aria-hidden', 'true');
  return span;
};

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
      renderField: (f) => this.#renderField(f),
      changed: () => {
        this.applyLogic();
        host.changed();
      },
    });
  }

  /** Draws the fields and fills them with `values` (a new record: the form's defaults). */
  render(values: RecordData | null) {
    const { form, container } = this.#host;
    this.structure.render(form, container);
    this.structure.onNext((page) => this.#nextPage(page));
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
    this.structure.showPage(this.structure.pageOf(key));
    const target = this.focusTarget(key);
    target?.focus();
    target?.scrollIntoView({ block: 'center' });
  }

  /** Relevance, calculated values and cascading options, live, with the shared form logic (lib/form-live.ts). */
  applyLogic() {
    const { form, definition, today } = this.#host;
    const raw = readRawData(definition, new FormData(form), DATES);
    const live = liveFormState(definition, raw, today);
    for (const wrap of form.querySelectorAll<HTMLElement>('[data-field]')) wrap.hidden = !live.visible.has(wrap.dataset.field!);
    for (const [key, value] of live.calculated) {
      const control = form.querySelector<HTMLInputElement>(`[name="${CSS.escape(key)}"]`);
      const field = this.structure.descriptors.get(key)?.field;
      if (control && field) control.value = value === null ? '' : inputValue(field, value, DATES);
    }
    for (const [key, offered] of live.options) this.#offerOptions(key, offered);
  }

  /** A cascading select offers only the options its filter lets through; a choice no longer offered is cleared. */
  #offerOptions(key: string, offered: FieldOption[]) {
    const allowed = new Set(offered.map((o) => o.value));
    for (const c of this.#host.form.querySelectorAll<HTMLInputElement | HTMLSelectElement>(`[name="${CSS.escape(key)}"]`)) {
      if (c instanceof HTMLSelectElement) {
        for (const o of c.options) if (o.value) o.hidden = o.disabled = !allowed.has(o.value);
        if (c.value && !allowed.has(c.value)) c.value = '';
      } else {
        const choice = c.closest<HTMLElement>('.choice');
        if (choice) choice.hidden = !allowed.has(c.value);
        if (!allowed.has(c.value)) c.checked = false;
      }
    }
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
    const onPage = this.structure.keysOnPage(page);
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
    this.structure.showPage(page + 1);
    this.#host.form.scrollIntoView({ block: 'start' });
    this.#host.container
      .querySelector<HTMLElement>(
        ':scope > [data-field]:not([data-off-page]):not([hidden]) input, :scope > [data-field]:not([data-off-page]):not([hidden]) select, :scope > [data-field]:not([data-off-page]):not([hidden]) textarea'
      )
      ?.focus();
  }

  #renderField(f: FieldDescriptor): HTMLElement {
    const wrap = el('div', { className: 'field' });
    wrap.dataset.field = f.key;
    if (f.element === 'photo') {
      wrap.append(...this.#host.photoNodes(photoSlot(this.#host.definition, f.key)!));
      return wrap;
    }
    const describedBy = [f.helpId, f.errorId].filter(Boolean).join(' ');
    const help = f.help ? el('p', { className: 'help', id: f.helpId! }, f.help) : null;
    const error = el('p', { className: 'field-error', id: f.errorId, hidden: true });
    const setCommon = (control: HTMLElement) => {
      control.setAttribute('aria-describedby', describedBy);
      if (f.required) control.setAttribute('aria-required', 'true');
      for (const [k, v] of Object.entries(f.attributes)) control.setAttribute(k, v);
    };

    if (f.element === 'checkbox-group') {
      const fieldset = el('fieldset', { className: 'choices', id: f.id });
      fieldset.setAttribute('aria-describedby', describedBy);
      const legend = el('legend', {}, f.label);
      if (f.required) legend.append(requiredMark());
      fieldset.append(legend);
      if (help) fieldset.append(help);
      f.options.forEach((o, i) => {
        const id = `${f.id}-${i}`;
        const input = el('input', { type: 'checkbox', id, name: f.name, value: o.value });
        fieldset.append(el('div', { className: 'choice' }, input, el('label', { htmlFor: id }, o.label)));
      });
      fieldset.append(error);
      wrap.append(fieldset);
      return wrap;
    }

    if (f.element === 'note') {
      wrap.append(el('p', { className: 'note', id: f.id }, f.label));
      if (help) wrap.append(help);
      return wrap;
    }

    if (f.inputType === 'checkbox') {
      const input = el('input', { type: 'checkbox', id: f.id, name: f.name });
      setCommon(input);
      const label = el('label', { htmlFor: f.id }, f.label);
      if (f.required) label.append(requiredMark());
      wrap.append(el('div', { className: 'choice' }, input, label));
      if (help) wrap.append(help);
      wrap.append(error);
      return wrap;
    }

    if (f.element === 'geopoint') {
      const legend = el('legend', {}, f.label);
      if (f.required) legend.append(requiredMark());
      wrap.append(geopointInput(f, legend, help, error));
      return wrap;
    }

    const label = el('label', { htmlFor: f.id }, f.label);
    if (f.required) label.append(requiredMark());
    if (f.element === 'barcode') {
      const input = el('input', { id: f.id, name: f.name, type: 'text' });
      setCommon(input);
      wrap.append(...barcodeInput(f, label, help, error, input));
      return wrap;
    }
    let control: HTMLElement;
    if (f.element === 'select') {
      const select = el('select', { id: f.id, name: f.name }, el('option', { value: '' }, t('capture.choose')));
      for (const o of f.options) select.append(el('option', { value: o.value }, o.label));
      control = select;
    } else if (f.element === 'textarea') {
      control = el('textarea', { id: f.id, name: f.name, rows: 4 });
    } else {
      control = el('input', { id: f.id, name: f.name, type: f.inputType ?? 'text' });
    }
    setCommon(control);
    wrap.append(label);
    if (help) wrap.append(help);
    wrap.append(control, error);
    return wrap;
  }
}
