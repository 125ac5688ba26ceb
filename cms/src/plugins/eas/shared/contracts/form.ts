/**
 * The frozen shape of a published form (a form version). Shared by the server, the admin and the capture site.
 */
export type FieldType =
  | 'text'
  | 'textarea'
  | 'number'
  | 'date'
  | 'select'
  | 'multiselect'
  | 'checkbox'
  | 'email'
  | 'phone';

export interface FieldOption {
  value: string;
  label: string;
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
  /** Show this field only when the field `field` has the value `equals`. */
  showIf?: { field: string; equals: string };
}

export interface PhotoSlotDefinition {
  side: 'front' | 'back';
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
}

export interface SignatureSlotDefinition {
  key: string;
  role: string;
  consentText: string;
  required: boolean;
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
