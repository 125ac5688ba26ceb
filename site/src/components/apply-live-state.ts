/**
 * Relevance, calculated values and cascading options on the page, live, from the shared form logic
 * (lib/form-live.ts): fields not relevant are hidden, calculations are written into their inputs, and a cascading
 * choice offers only what its filter lets through.
 */
import type { FieldOption, FormDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { inputValue, readRawData, type FieldDescriptor } from '../lib/capture-form';
import type { DateFormat } from '../lib/dates';
import { liveFormState } from '../lib/form-live';

/** A cascading select offers only the options its filter lets through; a choice no longer offered is cleared. */
const offerOptions = (form: HTMLFormElement, key: string, offered: FieldOption[]) => {
  const allowed = new Set(offered.map((o) => o.value));
  for (const c of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>(`[name="${CSS.escape(key)}"]`)) {
    if (c instanceof HTMLSelectElement) {
      for (const o of c.options) if (o.value) o.hidden = o.disabled = !allowed.has(o.value);
      if (c.value && !allowed.has(c.value)) c.value = '';
    } else {
      const choice = c.closest<HTMLElement>('.choice');
      if (choice) choice.hidden = !allowed.has(c.value);
      if (!allowed.has(c.value)) c.checked = false;
    }
  }
};

export const applyLiveState = (
  form: HTMLFormElement,
  definition: FormDefinition,
  today: string,
  descriptors: ReadonlyMap<string, FieldDescriptor>,
  dates: DateFormat
) => {
  const raw = readRawData(definition, new FormData(form), dates);
  const live = liveFormState(definition, raw, today);
  for (const wrap of form.querySelectorAll<HTMLElement>('[data-field]')) wrap.hidden = !live.visible.has(wrap.dataset.field!);
  for (const [key, value] of live.calculated) {
    const control = form.querySelector<HTMLInputElement>(`[name="${CSS.escape(key)}"]`);
    const field = descriptors.get(key)?.field;
    if (control && field) control.value = value === null ? '' : inputValue(field, value, dates);
  }
  for (const [key, offered] of live.options) offerOptions(form, key, offered);
};
