/**
 * The frozen shape of a published form (a form version). Shared by the server, the admin and the capture site.
 */
export const FIELD_TYPES = [
  'text',
  'textarea',
  /** A decimal number (kept for older forms; same as `decimal`). */
  'number',
  'integer',
  'decimal',
  'date',
  /** HH:MM (24 h). */
  'time',
  /** YYYY-MM-DDTHH:MM as a datetime-local input gives it (no time zone). */
  'datetime',
  'select',
  'multiselect',
  'checkbox',
  /** A box that must be ticked to go on (value `true`). */
  'acknowledge',
  /** A number on a scale (rating): `min`, `max` and `step` required. */
  'range',
  'email',
  'phone',
  /** Read-only text shown between fields (its label); it carries no value. */
  'note',
  /**
   * A group of the fields that name it as their `group`; it carries no value (its fields' values are stored at
   * the top level of the record, like any field). With the form's `pages` layout, each top-level group is a page.
   */
  'group',
  /**
   * A repeat group: its fields are asked once per entry. The value is a list of entries, each an object of the
   * repeat's own fields (`{ meters: [{ serial: "A1", reading: 12 }, …] }`). `min`/`max`: the number of entries.
   */
  'repeat',
  /**
   * A location as ODK writes it: "latitude longitude [altitude [accuracy]]" in decimal degrees and metres, e.g.
   * "-1.29210 36.82190 1700 12.5". From the phone's GPS (with its accuracy) or typed (latitude and longitude only).
   * `max`: the worst accuracy accepted, in metres.
   */
  'geopoint',
  /** The text of a barcode or QR code scanned with the camera (or typed when it cannot be scanned). */
  'barcode',
  /**
   * A named image question among the fields (beyond the front and back slots): uploaded like a slot photo (processed,
   * hashed, bound by signatures), never a value in the record data. `help` is its hint. Not inside repeats.
   */
  'photo',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldOption {
  value: string;
  label: string;
  /** Extra attributes a choice filter can name bare, e.g. `{ region: "north" }` (cascading selects). */
  attributes?: Record<string, string>;
}

export interface FieldDefinition {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  help?: string;
  options?: FieldOption[];
  min?: number;
  max?: number;
  pattern?: string;
  /** The step of a `range` field (e.g. 1 for a 1–5 rating). */
  step?: number;
  /**
   * The key of the `group` or `repeat` this field belongs to (absent: the top level). Fields of a group follow it
   * in the list; a group may sit in a group; a repeat may not contain another repeat. Inside a repeat, `${key}` of
   * a field of the same repeat is that field in the same entry.
   */
  group?: string;
  /**
   * Texts in other languages, by language code ("fr", "sw"); absent texts fall back to the form's default language
   * (the texts above). Option labels by option value.
   */
  translations?: Record<string, FieldTranslation>;
  /** Show this field only when the field `field` has the value `equals` (older forms; read as an expression). */
  showIf?: { field: string; equals: string };
  /**
   * Expressions (docs/expressions.md); each may name only fields above this one, as `${key}`.
   * relevant: the field is shown (and may hold a value) only while this holds.
   * requiredIf: the field is required while this holds (in addition to `required`).
   * constraint: a shown, filled value must satisfy it (`.` is the value); constraintMessage is shown otherwise.
   * calculation: the value is computed (read-only; the server refuses a submitted value that differs).
   * default: the value a new record starts with (evaluated when the form opens; no field references).
   * choiceFilter: for select/multiselect, which options are offered; bare names are the option's attributes
   *   (and `value`), e.g. `region = ${region}`.
   */
  relevant?: string;
  requiredIf?: string;
  constraint?: string;
  constraintMessage?: string;
  calculation?: string;
  default?: string;
  choiceFilter?: string;
  /**
   * The answer is personal data (a name, an ID number, a phone number…): an export with the profile
   * "without personal data" leaves the field out (photos and signatures are always personal). Written only when true.
   */
  personal?: boolean;
}

export interface FieldTranslation {
  label?: string;
  help?: string;
  constraintMessage?: string;
  options?: Record<string, string>;
}

export interface PhotoSlotDefinition {
  /** "front", "back", or the key of a photo field. */
  side: string;
  required: boolean;
  label: string;
  hint?: string;
  maxPixels: number;
  /** Minimum resolution of the photo (either orientation) and in megapixels; a smaller one is flagged low_resolution. */
  minWidth?: number;
  minHeight?: number;
  minMegapixels?: number;
  /** Whether the person may keep a photo with quality warnings ("Use anyway"); default true. */
  allowOverride?: boolean;
  /** label and hint in other languages. */
  translations?: Record<string, { label?: string; hint?: string }>;
}

export interface SignatureSlotDefinition {
  key: string;
  role: string;
  consentText: string;
  required: boolean;
  /** role and consentText in other languages (the signer reads and signs the text of the language shown). */
  translations?: Record<string, { role?: string; consentText?: string }>;
}

export interface FormDefinition {
  slug: string;
  name: string;
  description?: string;
  fields: FieldDefinition[];
  photos: PhotoSlotDefinition[];
  signatures: SignatureSlotDefinition[];
  pdf: { title?: string; footerText?: string };
  /** The key field the administrator chose (the form's "list field"), frozen with the version; see summaryField. */
  summaryField?: string;
  /** Show the form a page at a time on the phone: each top-level group is a page, fields between groups one page. */
  pages?: boolean;
  /**
   * The language of the texts above (e.g. "en") and the other languages the form has texts in (`translations`).
   * Absent: the form has one language. Stored record data never depends on the language.
   */
  defaultLanguage?: string;
  languages?: string[];
}

/** What field staff receive from GET /api/eas/forms and /api/eas/forms/:slug. */
export interface PublishedForm {
  slug: string;
  name: string;
  description?: string;
  version: number;
  publishedAt: string;
  definition: FormDefinition;
  /**
   * The key of the field that names a record of this version in a list (RecordView.summary): the list field the
   * administrator chose, else the first text field; null when the form has none (shared/display.ts).
   */
  summaryField: string | null;
}

export namespace ListForms {
  export interface Response {
    data: PublishedForm[];
  }
}

/** GET /api/eas/forms/:slug/versions/:version: that exact version (a rejected record is fixed with its own). */
export namespace GetFormVersion {
  export interface Params {
    slug: string;
    version: number;
  }
  export interface Response {
    data: PublishedForm;
  }
}

export namespace GetForm {
  export interface Params {
    slug: string;
  }
  export interface Response {
    data: PublishedForm;
  }
}
