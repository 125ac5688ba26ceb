/**
 * One leaf field of a form on the page — its label (with the required mark), help, control and error line — as
 * lib/capture-form.ts describes it: a text box, a select, a text area, a checkbox or checkboxes, a note, a
 * location or a barcode (field-inputs.ts), or a photo field (the host's photo slot).
 */
import type { FormDefinition, PhotoSlotDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { photoSlot } from '../../../cms/src/plugins/eas/shared/photo-slots';
import type { FieldDescriptor } from '../lib/capture-form';
import { el } from '../lib/dom';
import { t } from '../lib/i18n';
import { barcodeInput, geopointInput } from './field-inputs';

const requiredMark = () => {
  const span = el('span', { className: 'req' }, ' *');
  span.setAttribute('aria-hidden', 'true');
  return span;
};

export const renderField = (
  f: FieldDescriptor,
  definition: Pick<FormDefinition, 'photos' | 'fields'>,
  photoNodes: (slot: PhotoSlotDefinition) => HTMLElement[]
): HTMLElement => {
  const wrap = el('div', { className: 'field' });
  wrap.dataset.field = f.key;
  if (f.element === 'photo') {
    wrap.append(...photoNodes(photoSlot(definition, f.key)!));
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
};
