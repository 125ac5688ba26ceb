/**
 * The structure of the capture form on the page: groups as fieldsets, repeats with their entries (add, remove,
 * renumber), and the pages of a form with the `pages` layout (form-pager.ts). Leaf fields are drawn by the host's
 * renderer (render-field.ts); everything here follows the shared form structure (shared/validation/form-structure.ts),
 * so the page, the validator and the server agree on keys and entries.
 */
import type { FieldDefinition, FormDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { entryKey, formStructure, parseEntryKey } from '../../../cms/src/plugins/eas/shared/validation/form-structure';
import {
  describeEntry,
  describeFields,
  entryCountName,
  inputValue,
  readRawData,
  type DescribeOptions,
  type FieldDescriptor,
} from '../lib/capture-form';
import type { DateFormat } from '../lib/dates';
import { el } from '../lib/dom';
import { newEntryValues } from '../lib/form-live';
import { formatNumber, t } from '../lib/i18n';
import { RESTORED } from './field-inputs';
import { FormPager } from './form-pager';

export interface StructureHost {
  definition: FormDefinition;
  options: DescribeOptions & { dates: DateFormat };
  /** Draws one leaf field (input, select, choices, note, photo): render-field.ts. */
  renderField(d: FieldDescriptor): HTMLElement;
  /** After an entry was added or removed: visibility, calculations and the draft follow. */
  changed(): void;
  /** Next on a paged form (form-pager.ts): the host checks the page, then shows the next one. */
  nextPage?(page: number): void;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** Puts a stored value into the controls named `name` (checkboxes ticked, dates in the person's format). */
export const setControls = (root: ParentNode, name: string, field: FieldDefinition | undefined, value: unknown, dates: DateFormat) => {
  for (const c of root.querySelectorAll<Control>(`[name="${CSS.escape(name)}"]`)) {
    if (c instanceof HTMLInputElement && c.type === 'checkbox') {
      c.checked = Array.isArray(value) ? (value as unknown[]).includes(c.value) : value === true;
    } else {
      c.value = field ? inputValue(field, value, dates) : String(value);
    }
    c.dispatchEvent(new Event(RESTORED));
  }
};

export class CaptureStructure {
  /** Every field on the page by its key (`meters[1].reading` inside entries), groups and repeats included. */
  readonly descriptors = new Map<string, FieldDescriptor>();
  /** The pages of a form with the `pages` layout. */
  readonly pager: FormPager;
  #host: StructureHost;
  #form!: HTMLFormElement;

  constructor(host: StructureHost) {
    this.#host = host;
    this.pager = new FormPager(host.definition, (page) => host.nextPage?.(page));
  }

  /** Draws the form's fields into `container` (inside `form`), and its pages; repeats start empty (see restore). */
  render(form: HTMLFormElement, container: HTMLElement) {
    this.#form = form;
    const bodies = new Map<string, HTMLElement>();
    const nodes: HTMLElement[] = [];
    for (const d of describeFields(this.#host.definition, this.#host.options)) {
      this.descriptors.set(d.key, d);
      const { wrap, body } = this.#node(d);
      if (body) bodies.set(d.key, body);
      if (d.parent && bodies.has(d.parent)) bodies.get(d.parent)!.append(wrap);
      else nodes.push(wrap);
    }
    container.replaceChildren(...nodes);
    this.pager.render(form, container);
  }

  /** The fields' values from a draft (or a new record's defaults): entries are drawn first, then filled. */
  restore(values: Record<string, unknown>, fresh: boolean) {
    const { repeatFields } = formStructure(this.#host.definition.fields);
    for (const [key, value] of Object.entries(values)) {
      const d = this.descriptors.get(key);
      if (d?.element === 'repeat') continue;
      setControls(this.#form, key, d?.field, value, this.#host.options.dates);
    }
    for (const repeat of repeatFields.keys()) {
      const d = this.descriptors.get(repeat);
      if (!d) continue;
      const entries = Array.isArray(values[repeat]) ? (values[repeat] as Record<string, unknown>[]) : [];
      // A new record starts with the entries a repeat needs at least (one for a required repeat).
      const start = fresh ? Math.max(d.field.min ?? 0, d.field.required ? 1 : 0) : 0;
      this.#setEntries(
        repeat,
        entries.length ? entries : Array.from({ length: start }, () => newEntryValues(this.#host.definition, repeat))
      );
    }
  }

  #node(d: FieldDescriptor): { wrap: HTMLElement; body?: HTMLElement } {
    if (d.element !== 'group' && d.element !== 'repeat') return { wrap: this.#host.renderField(d) };
    const wrap = el('fieldset', { className: d.element, id: d.id });
    wrap.dataset.field = d.key;
    wrap.append(el('legend', {}, d.label));
    if (d.help) wrap.append(el('p', { className: 'help', id: d.helpId! }, d.help));
    const body = el('div', { className: `${d.element}-body` });
    wrap.append(body);
    if (d.element === 'repeat') {
      const repeat = d.key;
      body.dataset.entries = repeat;
      const count = el('input', { type: 'hidden', name: entryCountName(repeat), value: '0' });
      const add = el('button', { type: 'button', className: 'secondary add-entry' }, t('capture.addEntry', { label: d.label }));
      add.dataset.addEntry = repeat;
      add.addEventListener('click', () => {
        this.#setEntries(repeat, [...this.#entries(repeat), newEntryValues(this.#host.definition, repeat)]);
        this.#form
          .querySelector<HTMLElement>(`[data-entry="${CSS.escape(entryKey(repeat, this.#count(repeat) - 1, ''))}"] legend`)
          ?.focus();
        this.#host.changed();
      });
      const error = el('p', { className: 'field-error', id: d.errorId, hidden: true });
      wrap.setAttribute('aria-describedby', [d.helpId, d.errorId].filter(Boolean).join(' '));
      wrap.append(count, el('p', { className: 'muted', hidden: true }, t('capture.noEntries')), error, add);
    }
    return { wrap, body };
  }

  #count(repeat: string) {
    return Number(this.#form.querySelector<HTMLInputElement>(`[name="${CSS.escape(entryCountName(repeat))}"]`)?.value ?? 0);
  }

  /** What the entries of a repeat hold now (as the inputs hold it). */
  #entries(repeat: string): Record<string, unknown>[] {
    const raw = readRawData(this.#host.definition, new FormData(this.#form), this.#host.options.dates);
    return Array.isArray(raw[repeat]) ? (raw[repeat] as Record<string, unknown>[]) : [];
  }

  /** Draws a repeat's entries afresh from their values: keys and numbers always run 0…n-1 (1…n for people). */
  #setEntries(repeat: string, entries: Record<string, unknown>[]) {
    const d = this.descriptors.get(repeat)!;
    const body = this.#form.querySelector<HTMLElement>(`[data-entries="${CSS.escape(repeat)}"]`)!;
    for (const key of [...this.descriptors.keys()]) if (parseEntryKey(key)?.repeat === repeat) this.descriptors.delete(key);
    const min = d.field.min ?? 0;
    const max = d.field.max ?? Infinity;
    body.replaceChildren(
      ...entries.map((values, index) => {
        const title = t('capture.entryTitle', { label: d.label, number: formatNumber(index + 1) });
        const legend = el('legend', { tabIndex: -1 }, title);
        const remove = el(
          'button',
          { type: 'button', className: 'secondary remove-entry' },
          t('capture.removeEntry', { label: d.label, number: formatNumber(index + 1) })
        );
        remove.disabled = entries.length <= min;
        remove.addEventListener('click', () => {
          const now = this.#entries(repeat);
          now.splice(index, 1);
          this.#setEntries(repeat, now);
          this.#host.changed();
        });
        const entry = el('fieldset', { className: 'entry' }, legend);
        entry.dataset.entry = entryKey(repeat, index, '');
        const bodies = new Map<string, HTMLElement>();
        for (const fd of describeEntry(this.#host.definition, repeat, index, this.#host.options)) {
          this.descriptors.set(fd.key, fd);
          const { wrap, body: inner } = this.#node(fd);
          if (inner) bodies.set(fd.key, inner);
          (fd.parent && bodies.has(fd.parent) ? bodies.get(fd.parent)! : entry).append(wrap);
        }
        entry.append(remove);
        for (const [key, value] of Object.entries(values ?? {})) {
          const name = entryKey(repeat, index, key);
          setControls(entry, name, this.descriptors.get(name)?.field, value, this.#host.options.dates);
        }
        return entry;
      })
    );
    this.#form.querySelector<HTMLInputElement>(`[name="${CSS.escape(entryCountName(repeat))}"]`)!.value = String(entries.length);
    const wrap = body.closest('fieldset.repeat')!;
    wrap.querySelector<HTMLElement>(':scope > p.muted')!.hidden = entries.length > 0;
    wrap.querySelector<HTMLButtonElement>(':scope > [data-add-entry]')!.disabled = entries.length >= max;
  }
}
