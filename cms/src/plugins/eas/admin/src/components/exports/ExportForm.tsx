import {
  Box,
  Button,
  Checkbox,
  Field,
  Flex,
  Grid,
  Radio,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Download } from '@strapi/icons';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { RECORD_STATES, type RecordStatus } from '../../../../shared/contracts/record';
import { formLanguages } from '../../../../shared/i18n/form-language';
import { EXPORT_FORMATS, EXPORT_PROFILES, type DataExportRequest, type ExportFormat, type ExportProfile } from '../../hooks/useDataExports';
import { useFormsApi, type FormListItem } from '../../hooks/useForms';
import type { ExportOwner } from '../../hooks/useDataExports';
import { useT } from '../../hooks/useT';
import { DEFAULT_CHOICES, exportRequest, hasCsv, type ExportChoices } from '../../utils/export-request';
import type { FieldErrors } from '../../utils/api-error';

const ANY = '__any';

export const FORMAT_WORDS: Record<ExportFormat, [string, string]> = {
  csv: ['exports.format.csv', 'CSV'],
  xlsx: ['exports.format.xlsx', 'Excel (XLSX)'],
  zip: ['exports.format.zip', 'ZIP with photos and signatures'],
};

export const PROFILE_WORDS: Record<ExportProfile, [string, string]> = {
  all: ['exports.profile.all', 'All data'],
  'no-personal': ['exports.profile.no-personal', 'Without personal data'],
};

/** A labelled group of radio buttons (the Design System's Radio.Group, named by its visible title). */
const Choice = <V extends string>({
  id,
  label,
  value,
  options,
  onChange,
  hint,
}: {
  id: string;
  label: string;
  value: V;
  options: [V, string][];
  onChange: (v: V) => void;
  hint?: string;
}) => (
  <Box>
    <Typography id={`${id}-label`} variant="pi" fontWeight="bold" tag="p">
      {label}
    </Typography>
    <Box marginTop={2}>
      <Radio.Group
        name={id}
        value={value}
        aria-labelledby={`${id}-label`}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onValueChange={(v: string) => onChange(v as V)}
      >
        {options.map(([v, text]) => (
          <Radio.Item key={v} value={v}>
            {text}
          </Radio.Item>
        ))}
      </Radio.Group>
    </Box>
    {hint ? (
      <Typography id={`${id}-hint`} variant="pi" textColor="neutral600" tag="p">
        {hint}
      </Typography>
    ) : null}
  </Box>
);

interface Props {
  forms: FormListItem[];
  /** Field staff to filter by; null when this admin may not list them (the filter is then not offered). */
  staff: ExportOwner[] | null;
  errors: FieldErrors;
  busy: boolean;
  onStart: (body: DataExportRequest) => void;
}

/** What to export: the form, the format, the records (version, status, dates, field staff), columns and profile. */
export const ExportForm = ({ forms, staff, errors, busy, onStart }: Props) => {
  const t = useT();
  const { locale } = useIntl();
  const formsApi = useFormsApi();
  const [choices, setChoices] = React.useState<ExportChoices>(DEFAULT_CHOICES);
  // The chosen form's languages (its default first), once read.
  const [formLanguagesOf, setFormLanguagesOf] = React.useState<{ slug: string; languages: string[] } | null>(null);
  const set = (patch: Partial<ExportChoices>) => setChoices((c) => ({ ...c, ...patch }));
  const form = forms.find((f) => f.slug === choices.form);
  const languages = formLanguagesOf && formLanguagesOf.slug === choices.form ? formLanguagesOf.languages : [];
  const languageName = React.useMemo(() => {
    const names = new Intl.DisplayNames([locale], { type: 'language' });
    return (code: string) => names.of(code) ?? code;
  }, [locale]);

  // The chosen form's languages (of its published version), for the labels of a form in several languages.
  React.useEffect(() => {
    if (!form) return undefined;
    let current = true;
    formsApi.read(form.documentId).then(
      (f) => {
        if (!current) return;
        const list = formLanguages(f.published ?? f.definition);
        setFormLanguagesOf({ slug: form.slug, languages: list });
        setChoices((c) => ({ ...c, language: list[0] ?? '' }));
      },
      () => undefined
    );
    return () => {
      current = false;
    };
  }, [form, formsApi]);

  const exportable = forms.filter((f) => f.version > 0);
  const versions = form ? Array.from({ length: form.version }, (_, i) => form.version - i) : [];
  return (
    <Box
      background="neutral0"
      hasRadius
      shadow="tableShadow"
      padding={5}
      tag="section"
      aria-label={t('exports.new', 'New export')}
      data-testid="eas-export-form"
    >
      <Typography variant="delta" tag="h2">
        {t('exports.new', 'New export')}
      </Typography>
      <Flex direction="column" alignItems="stretch" gap={5} marginTop={3}>
        <Grid.Root gap={4}>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Field.Root
              name="export-form"
              error={errors.form}
              required
              hint={exportable.length ? undefined : t('exports.form.none', 'No published form you may read: publish one first.')}
            >
              <Field.Label>{t('exports.form', 'Form')}</Field.Label>
              <SingleSelect
                value={choices.form}
                placeholder={t('exports.form.choose', 'Choose a form')}
                onChange={(v: string | number) => set({ form: String(v), version: '' })}
              >
                {exportable.map((f) => (
                  <SingleSelectOption key={f.slug} value={f.slug}>
                    {f.name}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Field.Root
              name="export-version"
              error={errors.version}
              hint={t('exports.version.hint', 'All versions: with the columns of the newest one.')}
            >
              <Field.Label>{t('exports.version', 'Version')}</Field.Label>
              <SingleSelect
                value={choices.version || ANY}
                disabled={!form}
                onChange={(v: string | number) => set({ version: v === ANY ? '' : String(v) })}
              >
                <SingleSelectOption value={ANY}>{t('exports.version.all', 'All versions')}</SingleSelectOption>
                {versions.map((v) => (
                  <SingleSelectOption key={v} value={String(v)}>
                    {t('exports.version.one', 'Version {version}', { version: v })}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
        </Grid.Root>

        <Choice
          id="export-format"
          label={t('exports.format', 'Format')}
          value={choices.format}
          options={EXPORT_FORMATS.map((f) => [f, t(...FORMAT_WORDS[f])])}
          onChange={(format) => set({ format })}
        />
        {errors.format ? (
          <Typography variant="pi" textColor="danger600" role="alert">
            {errors.format}
          </Typography>
        ) : null}

        <Grid.Root gap={4}>
          <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
            <Field.Root name="export-status" error={errors.status}>
              <Field.Label>{t('exports.status', 'Status')}</Field.Label>
              <SingleSelect
                value={choices.status || ANY}
                onChange={(v: string | number) => set({ status: v === ANY ? '' : (String(v) as RecordStatus) })}
              >
                <SingleSelectOption value={ANY}>{t('exports.status.any', 'Any status')}</SingleSelectOption>
                {RECORD_STATES.map((s) => (
                  <SingleSelectOption key={s} value={s}>
                    {t(`overview.state.${s}`, s)}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
              <Field.Error />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
            <Field.Root name="export-from" error={errors.from}>
              <Field.Label>{t('exports.from', 'Created from')}</Field.Label>
              <TextInput
                type="date"
                value={choices.from}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ from: e.target.value })}
              />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
            <Field.Root name="export-to" error={errors.to}>
              <Field.Label>{t('exports.to', 'Created until')}</Field.Label>
              <TextInput
                type="date"
                value={choices.to}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ to: e.target.value })}
              />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
          {staff ? (
            <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
              <Field.Root name="export-owner" error={errors.owner}>
                <Field.Label>{t('exports.owner', 'Field staff')}</Field.Label>
                <SingleSelect value={choices.owner || ANY} onChange={(v: string | number) => set({ owner: v === ANY ? '' : String(v) })}>
                  <SingleSelectOption value={ANY}>{t('exports.owner.any', 'Everyone')}</SingleSelectOption>
                  {staff.map((u) => (
                    <SingleSelectOption key={u.id} value={String(u.id)}>
                      {u.username}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
                <Field.Error />
              </Field.Root>
            </Grid.Item>
          ) : null}
        </Grid.Root>

        <Grid.Root gap={4}>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Choice
              id="export-header"
              label={t('exports.header', 'Column names')}
              value={choices.header}
              options={[
                ['key', t('exports.header.key', 'Keys (site_name)')],
                ['label', t('exports.header.label', 'Labels (Site name)')],
              ]}
              onChange={(header) => set({ header })}
            />
          </Grid.Item>
          {choices.header === 'label' && languages.length > 1 ? (
            <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
              <Field.Root name="export-language" error={errors.language}>
                <Field.Label>{t('exports.language', 'Language of the labels')}</Field.Label>
                <SingleSelect value={choices.language} onChange={(v: string | number) => set({ language: String(v) })}>
                  {languages.map((l) => (
                    <SingleSelectOption key={l} value={l}>
                      {languageName(l)}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
                <Field.Error />
              </Field.Root>
            </Grid.Item>
          ) : null}
        </Grid.Root>

        {hasCsv(choices.format) ? (
          <Box>
            <Checkbox
              checked={choices.bom}
              aria-describedby="export-bom-hint"
              onCheckedChange={(on: boolean | 'indeterminate') => set({ bom: on === true })}
            >
              {t('exports.bom', 'Excel-friendly CSV (BOM)')}
            </Checkbox>
            <Typography id="export-bom-hint" variant="pi" textColor="neutral600" tag="p">
              {t('exports.bom.hint', 'Excel on Windows then reads accents and other scripts correctly.')}
            </Typography>
          </Box>
        ) : null}

        <Choice
          id="export-profile"
          label={t('exports.profile', 'Data to include')}
          value={choices.profile}
          options={EXPORT_PROFILES.map((p) => [p, t(...PROFILE_WORDS[p])])}
          onChange={(profile) => set({ profile })}
          hint={t(
            'exports.profile.hint',
            'Without personal data leaves out the answers marked as personal data in the form, the photos and the signatures.'
          )}
        />
        {errors.profile ? (
          <Typography variant="pi" textColor="danger600" role="alert">
            {errors.profile}
          </Typography>
        ) : null}

        {errors[''] ? (
          <Typography textColor="danger600" role="alert">
            {errors['']}
          </Typography>
        ) : null}
        <Box>
          <Button
            startIcon={<Download />}
            loading={busy}
            disabled={!choices.form}
            onClick={() => onStart(exportRequest(choices, languages))}
          >
            {t('exports.start', 'Start the export')}
          </Button>
        </Box>
      </Flex>
    </Box>
  );
};
