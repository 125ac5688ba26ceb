import type { Core } from '@strapi/strapi';
import { PLUGIN_ID, UID } from '../constants';

/**
 * The Content Manager's presentation of EAS types: list columns, sort order, and labels/descriptions that make the
 * form editor self-explanatory ("low-code"). Applied once per LAYOUT_VERSION, so an administrator's own tweaks of
 * the views survive restarts.
 */
const LAYOUT_VERSION = 3;

type Meta = { label?: string; description?: string; placeholder?: string; editable?: boolean };
interface ViewConfig {
  settings?: Record<string, unknown>;
  list?: string[];
  edit?: Record<string, Meta>;
  listLabels?: Record<string, string>;
}

const VIEWS: Record<string, ViewConfig> = {
  [UID.form]: {
    settings: { mainField: 'name', defaultSortBy: 'name', defaultSortOrder: 'ASC', pageSize: 20 },
    list: ['name', 'slug', 'version', 'archived', 'updatedAt'],
    edit: {
      name: { description: 'Shown to field staff in their list of forms and on PDF exports.' },
      slug: { description: 'Short identifier used in links and by the capture site. Keep it stable once records exist.' },
      description: { description: 'Optional: what this form is for, shown under its name.' },
      fields: { label: 'Fields', description: 'The questions, in the order field staff see them. Drag to reorder.' },
      frontPhoto: { label: 'Front photo', description: 'The first photo taken with the camera.' },
      backPhoto: { label: 'Back photo', description: 'The second photo taken with the camera.' },
      signatures: { label: 'Signatures', description: 'Who signs, and the consent text shown above the signature pad.' },
      pdf: { label: 'PDF options', description: 'Title and footer of this form’s PDF exports.' },
      version: { description: 'Set by EAS on publish: each publish with changes freezes a new version.', editable: false },
      archived: { description: 'Archived forms stay readable but accept no new records.' },
      notifyEmails: {
        label: 'Notify on submission',
        description: 'Email addresses told about each new submission, one per line (needs SMTP).',
      },
    },
  },
  [UID.formVersion]: { settings: { mainField: 'label', defaultSortBy: 'label' } },
  [UID.record]: {
    settings: { mainField: 'reference', defaultSortBy: 'createdAt', defaultSortOrder: 'DESC', pageSize: 20 },
    list: ['reference', 'formSlug', 'state', 'owner', 'capturedAt', 'submittedAt'],
    listLabels: { formSlug: 'Form', state: 'Status', owner: 'Captured by' },
    edit: Object.fromEntries(
      [
        ['reference', 'Reference'],
        ['clientId', 'Device id'],
        ['formVersion', 'Form version'],
        ['formSlug', 'Form'],
        ['state', 'Status'],
        ['data', 'Captured data (raw)'],
        ['capturedAt', 'Captured at'],
        ['submittedAt', 'Submitted at'],
        ['reviewedAt', 'Reviewed at'],
        ['reviewComment', 'Review comment'],
        ['location', 'Location'],
        ['owner', 'Captured by'],
        ['photos', 'Photos'],
        ['signatures', 'Signatures'],
        ['events', 'History'],
        ['integrityHash', 'Integrity hash'],
      ].map(([name, label]) => [name, { label, editable: false }])
    ),
  },
};

const COMPONENTS: Record<string, Record<string, Meta>> = {
  'eas.form-field': {
    key: { description: 'Stored name: lowercase letters, digits and _ (e.g. site_name). Unique in the form.', placeholder: 'site_name' },
    label: { description: 'The question as field staff read it.' },
    type: { description: 'text, textarea (long text), number, date, select (one option), multiselect, checkbox, email, phone.' },
    required: { description: 'Field staff cannot submit without it (a required checkbox must be ticked).' },
    help: { description: 'Optional hint shown under the field.' },
    options: {
      description: 'select/multiselect only: one option per line, as value|Label (or just value).',
      placeholder: 'good|Good\npoor|Poor',
    },
    min: {
      description:
        'number: smallest value. text: fewest characters. multiselect: fewest choices. date: days from the capture day (-30 = not older than 30 days).',
    },
    max: {
      description:
        'number: largest value. text: most characters. multiselect: most choices. date: days from the capture day (0 = not in the future).',
    },
    pattern: { description: 'text only: a regular expression the whole answer must match, e.g. [A-Z]{2}[0-9]{4}.' },
    showIfField: { label: 'Show if field', description: 'Only show this field when the field with this key (above it)…' },
    showIfEquals: { label: '…has this value', description: 'Option value, text, or true/false for a checkbox.' },
  },
  'eas.photo-slot': {
    enabled: { description: 'Ask for this photo at all.' },
    required: { description: 'The record cannot be submitted without it.' },
    label: { description: 'Shown on the capture screen, e.g. "Entrance".' },
    hint: { description: 'Framing advice shown over the camera preview.' },
    maxPixels: {
      label: 'Max pixels',
      description: 'Photos are downscaled on the phone to at most this many pixels before upload (8,000,000 ≈ 3464×2309).',
    },
    minWidth: {
      label: 'Minimum width',
      description: 'Smaller photos get a warning on the phone and a low_resolution flag (either orientation).',
    },
    minHeight: { label: 'Minimum height', description: 'See minimum width.' },
    allowOverride: {
      label: 'Allow "Use anyway"',
      description: 'Whether field staff may keep a photo with quality warnings (recorded with the photo).',
    },
  },
  'eas.signature-slot': {
    key: { description: 'Stored name of the slot: lowercase letters, digits and _ (e.g. site_manager).' },
    role: { description: 'Who signs, e.g. "Site manager". Printed on the PDF.' },
    consentText: { label: 'Consent text', description: 'Shown above the signature pad and kept with the signature.' },
    required: { description: 'The record cannot be submitted without this signature.' },
  },
  'eas.pdf-options': {
    title: { description: 'Document title on exports (defaults to the form name).' },
    footerText: { label: 'Footer text', description: 'Printed at the bottom of every page, e.g. your organisation’s name.' },
  },
};

type Configuration = {
  settings: Record<string, unknown>;
  metadatas: Record<string, { edit: Record<string, unknown>; list: Record<string, unknown> }>;
  layouts: { list: string[]; edit: unknown };
};

const mergeEdit = (config: Configuration, edit: Record<string, Meta> = {}, listLabels: Record<string, string> = {}) => {
  const metadatas = { ...config.metadatas };
  for (const [name, meta] of Object.entries(edit)) {
    if (!metadatas[name]) continue;
    metadatas[name] = { ...metadatas[name], edit: { ...metadatas[name].edit, ...meta } };
    const label = listLabels[name] ?? meta.label;
    if (label) metadatas[name] = { ...metadatas[name], list: { ...metadatas[name].list, label } };
  }
  return metadatas;
};

const adminLayoutService = ({ strapi }: { strapi: Core.Strapi }) => ({
  async apply() {
    const store = strapi.store({ type: 'plugin', name: PLUGIN_ID });
    if (((await store.get({ key: 'layoutVersion' })) as number | null) === LAYOUT_VERSION) return;
    const cm = strapi.plugin('content-manager');
    const contentTypes = cm.service('content-types');
    const components = cm.service('components');

    for (const [uid, view] of Object.entries(VIEWS)) {
      const config = (await contentTypes.findConfiguration({ uid })) as Configuration;
      await contentTypes.updateConfiguration(
        { uid },
        {
          settings: { ...config.settings, ...view.settings },
          metadatas: mergeEdit(config, view.edit, view.listLabels),
          layouts: { ...config.layouts, list: view.list ?? config.layouts.list },
        }
      );
    }
    for (const [uid, edit] of Object.entries(COMPONENTS)) {
      const config = (await components.findConfiguration({ uid })) as Configuration;
      await components.updateConfiguration(
        { uid },
        { settings: config.settings, metadatas: mergeEdit(config, edit), layouts: config.layouts }
      );
    }
    await store.set({ key: 'layoutVersion', value: LAYOUT_VERSION });
  },
});

export default adminLayoutService;
