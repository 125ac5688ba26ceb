/**
 * The structure of a form: its flat list of fields read as a tree of groups and repeats (each field names its
 * parent as `group`; the list is in reading order, a parent before its fields), and the form's pages. Pure; the
 * validator, the form logic, the capture page, the PDF and the exports read the structure from here only.
 */
import type { FieldDefinition, FormDefinition } from '../contracts/form';

export const CONTAINER_TYPES = new Set(['group', 'repeat']);
/** Types that carry no value of their own (a repeat's value is its entries, checked entry by entry). */
export const NO_VALUE_TYPES = new Set(['note', 'group', 'photo']);

export const isContainer = (f: Pick<FieldDefinition, 'type'>) => CONTAINER_TYPES.has(f.type);

export interface FormStructure {
  /** The repeat a field is inside (at any depth), by field key. */
  repeatOf: Map<string, string>;
  /** A field's groups and repeats, innermost first, by field key. */
  ancestors: Map<string, string[]>;
  /** The fields of each repeat (its own fields at any depth, in order), by repeat key. */
  repeatFields: Map<string, FieldDefinition[]>;
  /** The fields outside every repeat, in order (repeats themselves included). */
  topLevel: FieldDefinition[];
}

const cache = new WeakMap<readonly FieldDefinition[], FormStructure>();

/** The structure of a (valid) field list; a parent that does not exist or comes later is read as the top level. */
export const formStructure = (fields: readonly FieldDefinition[]): FormStructure => {
  const cached = cache.get(fields);
  if (cached) return cached;
  const byKey = new Map<string, FieldDefinition>();
  const repeatOf = new Map<string, string>();
  const ancestors = new Map<string, string[]>();
  const repeatFields = new Map<string, FieldDefinition[]>();
  const topLevel: FieldDefinition[] = [];
  for (const f of fields) {
    const parent = f.group && byKey.has(f.group) && isContainer(byKey.get(f.group)!) ? f.group : undefined;
    const chain = parent ? [parent, ...(ancestors.get(parent) ?? [])] : [];
    ancestors.set(f.key, chain);
    const repeat = chain.find((k) => byKey.get(k)?.type === 'repeat');
    if (repeat) {
      repeatOf.set(f.key, repeat);
      repeatFields.get(repeat)!.push(f);
    } else topLevel.push(f);
    if (f.type === 'repeat') repeatFields.set(f.key, []);
    byKey.set(f.key, f);
  }
  const structure = { repeatOf, ancestors, repeatFields, topLevel };
  cache.set(fields, structure);
  return structure;
};

export interface FormPage {
  /** The top-level group the page shows, or null for a run of fields between groups. */
  group: FieldDefinition | null;
  /** The keys of the top-level fields on the page (a group's own fields follow it). */
  keys: string[];
}

/**
 * The pages of a form with the `pages` layout: each top-level group or repeat is a page; top-level fields between
 * them make a page of their own. Without the layout, one page with everything.
 */
export const formPages = (definition: Pick<FormDefinition, 'fields' | 'pages'>): FormPage[] => {
  const { ancestors } = formStructure(definition.fields);
  const top = definition.fields.filter((f) => (ancestors.get(f.key) ?? []).length === 0);
  if (!definition.pages) return [{ group: null, keys: top.map((f) => f.key) }];
  const pages: FormPage[] = [];
  for (const f of top) {
    if (isContainer(f)) pages.push({ group: f, keys: [f.key] });
    else if (pages.length && pages[pages.length - 1].group === null) pages[pages.length - 1].keys.push(f.key);
    else pages.push({ group: null, keys: [f.key] });
  }
  return pages.length ? pages : [{ group: null, keys: [] }];
};

/** The top-level field a field is shown under (itself at the top level): which page it is on. */
export const topAncestor = (fields: readonly FieldDefinition[], key: string): string => {
  const chain = formStructure(fields).ancestors.get(key) ?? [];
  return chain.length ? chain[chain.length - 1] : key;
};

/** The key an error of a repeat's field carries: `meters[0].reading` (entry numbers from 0). */
export const entryKey = (repeat: string, index: number, key: string) => `${repeat}[${index}].${key}`;

/** The parts of an entry key, or null for a plain field key. */
export const parseEntryKey = (key: string): { repeat: string; index: number; key: string } | null => {
  const m = /^([a-z][a-z0-9_]*)\[(\d+)\]\.([a-z][a-z0-9_]*)$/.exec(key);
  return m ? { repeat: m[1], index: Number(m[2]), key: m[3] } : null;
};

type Add = (path: (string | number)[], message: string) => void;

/** The definition rules of the structure: parents exist above, are groups or repeats, and enclose their fields. */
export const checkStructure = (fields: readonly FieldDefinition[], nameOf: (f: FieldDefinition, i: number) => string, add: Add) => {
  const index = new Map<string, number>();
  /** The open containers, outermost first, after the previous field. */
  let open: string[] = [];
  fields.forEach((f, i) => {
    const at = (attr: string) => ['fields', i, attr];
    const name = nameOf(f, i);
    if (f.group !== undefined) {
      const j = index.get(f.group);
      if (f.group === f.key) add(at('group'), `${name}: a field cannot be in its own group`);
      else if (j === undefined)
        add(at('group'), `${name}: the group "${f.group}" is not a group or repeat above this field; put the group first`);
      else if (!isContainer(fields[j])) add(at('group'), `${name}: "${f.group}" is a ${fields[j].type} field, not a group or repeat`);
      else if (!open.includes(f.group))
        add(at('group'), `${name}: the fields of group "${f.group}" must follow it together; another group's fields came in between`);
      else open = open.slice(0, open.indexOf(f.group) + 1);
    } else open = [];
    if (isContainer(f)) {
      if (f.type === 'repeat' && open.some((k) => fields[index.get(k)!]?.type === 'repeat'))
        add(at('group'), `${name}: a repeat cannot be inside another repeat`);
      open = [...open, f.key];
    }
    index.set(f.key, i);

    if (f.type === 'photo') {
      if (open.some((k) => fields[index.get(k)!]?.type === 'repeat'))
        add(at('group'), `${name}: a photo field cannot be inside a repeat (yet); put it outside the repeat`);
      for (const attr of ['relevant', 'requiredIf', 'constraint', 'calculation', 'default', 'choiceFilter', 'showIf'] as const)
        if (f[attr]) add(at(attr), `${name}: a photo field is always asked; it cannot have a ${attr} (yet)`);
      if (f.options?.length || f.pattern || f.min !== undefined || f.max !== undefined)
        add(at('type'), `${name}: a photo field takes only a label, a hint (help) and whether it is required`);
      if (['front', 'back'].includes(f.key)) add(at('key'), `${name}: "${f.key}" is the key of a photo slot; choose another key`);
    }
    if (isContainer(f)) {
      const what = f.type === 'group' ? 'group' : 'repeat';
      if (f.options?.length) add(at('options'), `${name}: a ${what} has no options`);
      if (f.pattern) add(at('pattern'), `${name}: a ${what} has no pattern`);
      if (f.calculation || f.constraint || f.default || f.choiceFilter)
        add(at('type'), `${name}: a ${what} carries no value of its own (no calculation, constraint, default or choice filter)`);
      if (f.type === 'group') {
        if (f.required || f.requiredIf) add(at('required'), `${name}: a group cannot be required; make its fields required`);
        if (f.min !== undefined || f.max !== undefined) add(at('min'), `${name}: min and max apply to repeats, not groups`);
      } else {
        for (const attr of ['min', 'max'] as const) {
          const v = f[attr];
          if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 1000))
            add(at(attr), `${name}: ${attr} of a repeat is a number of entries (a whole number from 0 to 1000)`);
        }
        if (f.min !== undefined && f.max !== undefined && f.min > f.max)
          add(at('max'), `${name}: the minimum number of entries (${f.min}) is greater than the maximum (${f.max})`);
      }
    }
  });
  for (const [key, i] of index) {
    if (!isContainer(fields[i])) continue;
    if (!fields.some((f) => f.group === key)) add(['fields', i, 'type'], `${nameOf(fields[i], i)}: the ${fields[i].type} has no fields`);
  }
};
