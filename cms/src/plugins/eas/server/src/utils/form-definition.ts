import type {
  FieldDefinition,
  FieldOption,
  FormDefinition,
  PhotoSlotDefinition,
  SignatureSlotDefinition,
} from '../../../shared/contracts/form';

const EXPRESSION_ATTRIBUTES = [
  'relevant',
  'requiredIf',
  'constraint',
  'constraintMessage',
  'calculation',
  'default',
  'choiceFilter',
] as const;

/** The form entry as the Document Service returns it with its components populated. */
export interface FormEntry {
  slug: string;
  name: string;
  description?: string | null;
  fields?: Array<Record<string, unknown>> | null;
  frontPhoto?: Record<string, unknown> | null;
  backPhoto?: Record<string, unknown> | null;
  signatures?: Array<Record<string, unknown>> | null;
  pdf?: { title?: string | null; footerText?: string | null } | null;
  /** Key of the field that names a record in lists (optional; the first text field otherwise). */
  listField?: string | null;
  pages?: boolean | null;
  defaultLanguage?: string | null;
  /** Comma separated language codes. */
  languages?: string | null;
}

/** A translations object as stored (JSON): only string texts by language code are kept; anything else is dropped. */
const translationsOf = <T extends object>(raw: unknown, keys: readonly string[]): Record<string, T> | undefined => {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const out: Record<string, T> = {};
  for (const [lang, texts] of Object.entries(raw as Record<string, unknown>)) {
    if (!texts || typeof texts !== 'object' || Array.isArray(texts)) continue;
    const kept: Record<string, unknown> = {};
    for (const key of keys) {
      const v = (texts as Record<string, unknown>)[key];
      if (key === 'options' && v && typeof v === 'object' && !Array.isArray(v)) {
        const labels = Object.fromEntries(
          Object.entries(v as Record<string, unknown>).filter(([, l]) => typeof l === 'string' && l.trim())
        );
        if (Object.keys(labels).length) kept.options = labels;
      } else if (typeof v === 'string' && v.trim()) kept[key] = v.trim();
    }
    if (Object.keys(kept).length) out[lang.trim()] = kept as T;
  }
  return Object.keys(out).length ? out : undefined;
};

const text = (v: unknown): string | undefined => {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
};

const num = (v: unknown): number | undefined => {
  if (v === null || v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/**
 * "value|Label" or "value" per line; blank lines ignored. A third part lists attributes for choice filters:
 * "kisumu|Kisumu|region=west; size=large".
 */
export const parseOptions = (raw: unknown): FieldOption[] | undefined => {
  const source = text(raw);
  if (!source) return undefined;
  return source
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [value, label, attrs] = line.split('|').map((p) => p.trim());
      const option: FieldOption = { value, label: label || value };
      const pairs = (attrs ?? '')
        .split(';')
        .map((p) => p.split('=').map((x) => x.trim()))
        .filter(([k, v]) => k && v !== undefined);
      if (pairs.length) option.attributes = Object.fromEntries(pairs.map(([k, v]) => [k, v]));
      return option;
    });
};

const toField = (f: Record<string, unknown>): FieldDefinition => {
  const field: FieldDefinition = {
    key: String(f.key ?? ''),
    label: String(f.label ?? f.key ?? ''),
    type: (f.type as FieldDefinition['type']) ?? 'text',
    required: Boolean(f.required),
  };
  const help = text(f.help);
  if (help) field.help = help;
  const options = parseOptions(f.options);
  if (options) field.options = options;
  const min = num(f.min);
  if (min !== undefined) field.min = min;
  const max = num(f.max);
  if (max !== undefined) field.max = max;
  const pattern = text(f.pattern);
  if (pattern) field.pattern = pattern;
  const step = num(f.step);
  if (step !== undefined) field.step = step;
  for (const attr of EXPRESSION_ATTRIBUTES) {
    const source = text(f[attr]);
    if (source) field[attr] = source;
  }
  const group = text(f.group);
  if (group) field.group = group;
  const translations = translationsOf<NonNullable<FieldDefinition['translations']>[string]>(f.translations, [
    'label',
    'help',
    'constraintMessage',
    'options',
  ]);
  if (translations) field.translations = translations;
  // Only `true` is frozen, so a version from before the setting keeps its exact content and hash.
  if (f.personal === true) field.personal = true;
  const showIfField = text(f.showIfField);
  if (showIfField) field.showIf = { field: showIfField, equals: text(f.showIfEquals) ?? '' };
  return field;
};

/** The optional quality requirements of a photo slot: positive numbers only, allowOverride only when false. */
const photoQualityOptions = (slot: Record<string, unknown>): Partial<PhotoSlotDefinition> => {
  const out: Partial<PhotoSlotDefinition> = {};
  for (const key of ['minWidth', 'minHeight', 'minMegapixels'] as const) {
    const value = num(slot[key]);
    if (value !== undefined && value > 0) out[key] = value;
  }
  // Overriding a warning is allowed unless the slot says otherwise: only `false` is written, so a definition frozen
  // before the setting existed (and any slot left at the default) keeps its exact content and hash.
  if (slot.allowOverride === false) out.allowOverride = false;
  return out;
};

const toPhoto = (side: 'front' | 'back', slot: Record<string, unknown> | null | undefined): PhotoSlotDefinition[] => {
  if (!slot || slot.enabled === false) return [];
  return [
    {
      side,
      required: slot.required !== false,
      label: text(slot.label) ?? (side === 'front' ? 'Front photo' : 'Back photo'),
      ...(text(slot.hint) ? { hint: text(slot.hint) } : {}),
      maxPixels: num(slot.maxPixels) ?? 8_000_000,
      ...photoQualityOptions(slot),
      ...withTranslations(translationsOf(slot.translations, ['label', 'hint'])),
    },
  ];
};

const toSignature = (s: Record<string, unknown>): SignatureSlotDefinition => ({
  key: String(s.key ?? ''),
  role: String(s.role ?? ''),
  consentText: String(s.consentText ?? ''),
  required: s.required !== false,
  ...withTranslations(translationsOf(s.translations, ['role', 'consentText'])),
});

const withTranslations = <T>(translations: T | undefined) => (translations ? { translations } : {});

/** Turns a populated form entry into the frozen definition stored on its form version. Pure. */
export const toFormDefinition = (form: FormEntry): FormDefinition => ({
  slug: form.slug,
  name: form.name,
  ...(text(form.description) ? { description: text(form.description) } : {}),
  fields: (form.fields ?? []).map(toField),
  photos: [...toPhoto('front', form.frontPhoto), ...toPhoto('back', form.backPhoto)],
  signatures: (form.signatures ?? []).map(toSignature),
  pdf: {
    ...(text(form.pdf?.title) ? { title: text(form.pdf?.title) } : {}),
    ...(text(form.pdf?.footerText) ? { footerText: text(form.pdf?.footerText) } : {}),
  },
  // Only an explicit choice is frozen: a version without one keeps its hash (re-publishing it mints no new version).
  ...(text(form.listField) ? { summaryField: text(form.listField) } : {}),
  // Written only when set, for the same reason.
  ...(form.pages ? { pages: true } : {}),
  ...languagesOf(form),
});

const languagesOf = (form: FormEntry): Pick<FormDefinition, 'defaultLanguage' | 'languages'> => {
  const defaultLanguage = text(form.defaultLanguage);
  const languages = [...new Set((text(form.languages) ?? '').split(/[\s,;]+/).filter((l) => l && l !== defaultLanguage))];
  return {
    ...(defaultLanguage ? { defaultLanguage } : {}),
    ...(languages.length ? { languages } : {}),
  };
};

/** The options of a field as the form entry stores them: "value|Label|attr=v; attr2=v2" per line. */
export const optionsText = (options: readonly FieldOption[]): string =>
  options
    .map((o) => {
      const attrs = Object.entries(o.attributes ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join('; ');
      return `${o.value}|${o.label}${attrs ? `|${attrs}` : ''}`;
    })
    .join('\n');

/** Characters the stored option text uses as separators: an option value or label may not contain them. */
export const optionTextProblem = (o: FieldOption): string | null =>
  /[|\n\r]/.test(o.value) || /[|\n\r]/.test(o.label) ? 'may not contain "|" or a line break' : null;

const photoEntry = (slot: PhotoSlotDefinition | undefined) =>
  slot
    ? {
        enabled: true,
        required: slot.required,
        label: slot.label,
        hint: slot.hint ?? null,
        maxPixels: slot.maxPixels,
        minWidth: slot.minWidth ?? null,
        minHeight: slot.minHeight ?? null,
        allowOverride: slot.allowOverride !== false,
        translations: slot.translations ?? null,
      }
    : { enabled: false };

/**
 * A definition (as the EAS form builder edits it) into the form entry the Document Service stores: the inverse of
 * toFormDefinition, so `toFormDefinition(toFormEntry(d))` is `d` for every definition the builder can make.
 */
export const toFormEntry = (d: FormDefinition): Omit<FormEntry, 'frontPhoto' | 'backPhoto'> & Record<string, unknown> => ({
  name: d.name,
  slug: d.slug,
  description: d.description ?? null,
  fields: d.fields.map((f) => ({
    key: f.key,
    label: f.label,
    type: f.type,
    required: f.required,
    personal: f.personal === true,
    help: f.help ?? null,
    options: f.options?.length ? optionsText(f.options) : null,
    min: f.min ?? null,
    max: f.max ?? null,
    step: f.step ?? null,
    pattern: f.pattern ?? null,
    group: f.group ?? null,
    showIfField: f.showIf?.field ?? null,
    showIfEquals: f.showIf?.equals ?? null,
    ...Object.fromEntries(EXPRESSION_ATTRIBUTES.map((a) => [a, f[a] ?? null])),
    translations: f.translations ?? null,
  })),
  frontPhoto: photoEntry(d.photos.find((p) => p.side === 'front')),
  backPhoto: photoEntry(d.photos.find((p) => p.side === 'back')),
  signatures: d.signatures.map((s) => ({
    key: s.key,
    role: s.role,
    consentText: s.consentText,
    required: s.required,
    translations: s.translations ?? null,
  })),
  pdf: { title: d.pdf.title ?? null, footerText: d.pdf.footerText ?? null },
  listField: d.summaryField ?? null,
  pages: Boolean(d.pages),
  defaultLanguage: d.defaultLanguage ?? null,
  languages: d.languages?.length ? d.languages.join(',') : null,
});
