import { Box, Button, Checkbox, Field, Flex, Grid, IconButton, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import * as React from 'react';
import type { FormDefinition, PhotoSlotDefinition, SignatureSlotDefinition } from '../../../../shared/contracts/form';
import { keyFromLabel } from '../../builder/model';
import { useT } from '../../hooks/useT';
import { NumberSetting, TextSetting } from './TextSetting';

type Change = (patch: Partial<FormDefinition>) => void;

/** A titled part of the builder. */
export const Section = ({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={5} data-testid={testId} tag="section" aria-label={title}>
    <Typography variant="delta" tag="h2">
      {title}
    </Typography>
    <Flex direction="column" alignItems="stretch" gap={4} marginTop={4}>
      {children}
    </Flex>
  </Box>
);

/** Name, id, description, layout, languages and the key field. */
export const FormSettings = ({
  definition: d,
  onChange,
  errors,
  slugLocked,
}: {
  definition: FormDefinition;
  onChange: Change;
  errors: Record<string, string>;
  slugLocked: boolean;
}) => {
  const t = useT();
  const [slugTyped, setSlugTyped] = React.useState(Boolean(d.slug));
  const textFields = d.fields.filter((f) => ['text', 'barcode', 'email', 'phone', 'select', 'integer', 'date'].includes(f.type));
  return (
    <Section title={t('builder.form', 'Form')}>
      <Grid.Root gap={4}>
        <Grid.Item col={7} s={12} direction="column" alignItems="stretch">
          <TextSetting
            name="form-name"
            label={t('builder.form.name', 'Form name')}
            required
            error={errors.name}
            value={d.name}
            onChange={(name) =>
              onChange(slugTyped || slugLocked ? { name } : { name, slug: keyFromLabel(name, new Set(), 'form').replace(/_/g, '-') })
            }
          />
        </Grid.Item>
        <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
          <TextSetting
            name="form-slug"
            label={t('builder.form.slug', 'Form id')}
            hint={
              slugLocked
                ? t('builder.form.slug.locked', 'Published: records name the form by this id, so it stays.')
                : t('builder.form.slug.hint', 'In links and exports; made from the name.')
            }
            error={errors.slug}
            value={d.slug}
            onChange={(slug) => {
              if (slugLocked) return;
              setSlugTyped(true);
              onChange({ slug: slug.toLowerCase().replace(/[^a-z0-9_-]/g, '-') });
            }}
          />
        </Grid.Item>
      </Grid.Root>
      <TextSetting
        name="form-description"
        label={t('builder.form.description', 'Description for field staff')}
        multiline
        value={d.description}
        onChange={(description) => onChange({ description: description || undefined })}
      />
      <Grid.Root gap={4}>
        <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
          <Checkbox
            checked={Boolean(d.pages)}
            onCheckedChange={(on: boolean | 'indeterminate') => onChange({ pages: on === true ? true : undefined })}
          >
            {t('builder.form.pages', 'One page at a time on the phone (each group a page)')}
          </Checkbox>
        </Grid.Item>
        <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
          <TextSetting
            name="form-languages"
            label={t('builder.form.languages', 'Other languages (codes, e.g. fr, sw)')}
            hint={t('builder.form.languages.hint', 'Texts in these languages are under “More rules” of each question.')}
            error={errors.languages ?? errors.defaultLanguage}
            value={(d.languages ?? []).join(', ')}
            onChange={(v) => {
              const languages = v.split(/[\s,;]+/).filter(Boolean);
              onChange({
                languages: languages.length ? languages : undefined,
                defaultLanguage: languages.length ? (d.defaultLanguage ?? 'en') : d.defaultLanguage,
              });
            }}
          />
        </Grid.Item>
        <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
          <Field.Root
            name="form-summary"
            hint={t('builder.form.summary.hint', 'Names each record in lists and the review queue.')}
            error={errors.summaryField}
          >
            <Field.Label>{t('builder.form.summary', 'Key question')}</Field.Label>
            <SingleSelect
              value={d.summaryField ?? '__first'}
              onChange={(v: string | number) => onChange({ summaryField: v === '__first' ? undefined : String(v) })}
            >
              <SingleSelectOption value="__first">{t('builder.form.summary.first', 'The first text question')}</SingleSelectOption>
              {textFields.map((f) => (
                <SingleSelectOption key={f.key} value={f.key}>
                  {f.label || f.key}
                </SingleSelectOption>
              ))}
            </SingleSelect>
            <Field.Hint />
            <Field.Error />
          </Field.Root>
        </Grid.Item>
      </Grid.Root>
    </Section>
  );
};

const SIDES = ['front', 'back'] as const;

/** The front and back photos: on or off, their label, hint, whether required, and their quality limits. */
export const PhotoSettings = ({
  definition: d,
  onChange,
  errors,
}: {
  definition: FormDefinition;
  onChange: Change;
  errors: Record<string, string>;
}) => {
  const t = useT();
  const slot = (side: 'front' | 'back') => d.photos.find((p) => p.side === side);
  const setSlot = (side: 'front' | 'back', next: PhotoSlotDefinition | null) =>
    onChange({
      photos: SIDES.flatMap((s) => (s === side ? (next ? [next] : []) : slot(s) ? [slot(s)!] : [])),
    });
  return (
    <Section title={t('builder.photos', 'Photos')} testId="eas-photo-settings">
      {SIDES.map((side) => {
        const p = slot(side);
        const name = side === 'front' ? t('builder.photo.front', 'Front photo') : t('builder.photo.back', 'Back photo');
        return (
          <Box key={side}>
            <Checkbox
              checked={Boolean(p)}
              onCheckedChange={(on: boolean | 'indeterminate') =>
                setSlot(side, on === true ? { side, label: name, required: true, maxPixels: 8_000_000 } : null)
              }
            >
              {t('builder.photo.ask', 'Ask for a {name}', { name: name.toLowerCase() })}
            </Checkbox>
            {p ? (
              <Grid.Root gap={4} marginTop={3}>
                <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                  <TextSetting
                    name={`photo-${side}-label`}
                    label={t('builder.photo.label', '{name}: label', { name })}
                    error={errors[`photo.${side}.label`]}
                    value={p.label}
                    onChange={(label) => setSlot(side, { ...p, label })}
                  />
                </Grid.Item>
                <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
                  <TextSetting
                    name={`photo-${side}-hint`}
                    label={t('builder.photo.hint', '{name}: what to photograph', { name })}
                    value={p.hint}
                    onChange={(hint) => setSlot(side, { ...p, hint: hint || undefined })}
                  />
                </Grid.Item>
                <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
                  <Checkbox
                    checked={p.required}
                    onCheckedChange={(on: boolean | 'indeterminate') => setSlot(side, { ...p, required: on === true })}
                  >
                    {t('builder.photo.required', 'Required')}
                  </Checkbox>
                  <Checkbox
                    checked={p.allowOverride !== false}
                    onCheckedChange={(on: boolean | 'indeterminate') =>
                      setSlot(side, { ...p, allowOverride: on === true ? undefined : false })
                    }
                  >
                    {t('builder.photo.override', 'May keep a blurred or dark photo')}
                  </Checkbox>
                </Grid.Item>
                <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                  <NumberSetting
                    name={`photo-${side}-min-width`}
                    label={t('builder.photo.min-width', 'Smallest width (pixels)')}
                    value={p.minWidth}
                    onChange={(minWidth) => setSlot(side, { ...p, minWidth })}
                  />
                </Grid.Item>
                <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                  <NumberSetting
                    name={`photo-${side}-min-height`}
                    label={t('builder.photo.min-height', 'Smallest height (pixels)')}
                    value={p.minHeight}
                    onChange={(minHeight) => setSlot(side, { ...p, minHeight })}
                  />
                </Grid.Item>
              </Grid.Root>
            ) : null}
          </Box>
        );
      })}
    </Section>
  );
};

/** The signatures: who signs, the text they agree to, whether required. */
export const SignatureSettings = ({
  definition: d,
  onChange,
  errors,
  lockedKeys,
}: {
  definition: FormDefinition;
  onChange: Change;
  errors: Record<string, string>;
  /** Signature keys of the published version: they stay. */
  lockedKeys: ReadonlySet<string>;
}) => {
  const languages = d.languages ?? [];
  const t = useT();
  const set = (i: number, s: SignatureSlotDefinition) => onChange({ signatures: d.signatures.map((x, j) => (j === i ? s : x)) });
  return (
    <Section title={t('builder.signatures', 'Signatures')} testId="eas-signature-settings">
      {d.signatures.map((s, i) => (
        <Box key={i} padding={4} hasRadius borderColor="neutral200" borderStyle="solid" borderWidth="1px">
          <Grid.Root gap={4}>
            <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
              <TextSetting
                name={`signature-${i}-role`}
                label={t('builder.signature.role', 'Who signs (role)')}
                required
                error={errors[`signatures.${i}.role`] ?? errors[`signatures.${i}.key`]}
                value={s.role}
                onChange={(role) => {
                  const others = new Set(d.signatures.filter((_, j) => j !== i).map((x) => x.key));
                  // The key follows the role while it is the one made from it (records use it once published).
                  const follows = s.key === keyFromLabel(s.role, others, 'signature') || /^signature(_\d+)?$/.test(s.key);
                  set(i, { ...s, role, key: follows && !lockedKeys.has(s.key) ? keyFromLabel(role, others, 'signature') : s.key });
                }}
              />
            </Grid.Item>
            <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
              <Checkbox checked={s.required} onCheckedChange={(on: boolean | 'indeterminate') => set(i, { ...s, required: on === true })}>
                {t('builder.signature.required', 'Required')}
              </Checkbox>
            </Grid.Item>
            <Grid.Item col={2} s={12} direction="column" alignItems="flex-end">
              <IconButton
                label={t('builder.signature.remove', 'Remove signature {n}', { n: i + 1 })}
                onClick={() => onChange({ signatures: d.signatures.filter((_, j) => j !== i) })}
              >
                <Trash />
              </IconButton>
            </Grid.Item>
            <Grid.Item col={12} direction="column" alignItems="stretch">
              <TextSetting
                name={`signature-${i}-consent`}
                label={t('builder.signature.consent', 'Text the signer agrees to')}
                hint={t(
                  'builder.signature.consent.hint',
                  'Shown above the signature pad and printed with the signature; the signature binds this record.'
                )}
                multiline
                required
                error={errors[`signatures.${i}.consentText`]}
                value={s.consentText}
                onChange={(consentText) => set(i, { ...s, consentText })}
              />
            </Grid.Item>
            {languages.map((lang) => (
              <Grid.Item key={lang} col={12} direction="column" alignItems="stretch">
                <TextSetting
                  name={`signature-${i}-role-${lang}`}
                  label={t('builder.signature.role.lang', 'Who signs, in {lang}', { lang })}
                  value={s.translations?.[lang]?.role}
                  onChange={(role) => set(i, { ...s, translations: { ...s.translations, [lang]: { ...s.translations?.[lang], role } } })}
                />
                <TextSetting
                  name={`signature-${i}-consent-${lang}`}
                  label={t('builder.signature.consent.lang', 'Text the signer agrees to, in {lang}', { lang })}
                  multiline
                  value={s.translations?.[lang]?.consentText}
                  onChange={(consentText) =>
                    set(i, { ...s, translations: { ...s.translations, [lang]: { ...s.translations?.[lang], consentText } } })
                  }
                />
              </Grid.Item>
            ))}
          </Grid.Root>
        </Box>
      ))}
      <Box>
        <Button
          variant="secondary"
          startIcon={<Plus />}
          onClick={() => {
            const key = keyFromLabel('signature', new Set(d.signatures.map((x) => x.key)), 'signature');
            onChange({ signatures: [...d.signatures, { key, role: '', consentText: '', required: true }] });
          }}
        >
          {t('builder.signature.add', 'Add a signature')}
        </Button>
      </Box>
    </Section>
  );
};

/** The PDF's title and footer. */
export const PdfSettings = ({ definition: d, onChange }: { definition: FormDefinition; onChange: Change }) => {
  const t = useT();
  return (
    <Section title={t('builder.pdf', 'Evidence PDF')}>
      <Grid.Root gap={4}>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <TextSetting
            name="pdf-title"
            label={t('builder.pdf.title', 'Title (default: the form name)')}
            value={d.pdf.title}
            onChange={(title) => onChange({ pdf: { ...d.pdf, title: title || undefined } })}
          />
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <TextSetting
            name="pdf-footer"
            label={t('builder.pdf.footer', 'Footer text')}
            value={d.pdf.footerText}
            onChange={(footerText) => onChange({ pdf: { ...d.pdf, footerText: footerText || undefined } })}
          />
        </Grid.Item>
      </Grid.Root>
    </Section>
  );
};
