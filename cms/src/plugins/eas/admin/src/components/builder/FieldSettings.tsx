import {
  Box,
  Button,
  Checkbox,
  Field,
  Flex,
  Grid,
  IconButton,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Trash } from '@strapi/icons';
import * as React from 'react';
import type { FieldDefinition, FieldOption, FieldType } from '../../../../shared/contracts/form';
import {
  PALETTE,
  SETTINGS,
  containersFor,
  attributesText,
  keyFromLabel,
  parseAttributes,
  readShowIf,
  showIfSources,
  showIfValues,
  tidyField,
  valueFromLabel,
  withPersonal,
  withShowIf,
} from '../../builder/model';
import { limitWords, typeName } from '../../builder/type-words';
import { useT } from '../../hooks/useT';
import { NumberSetting, TextSetting } from './TextSetting';

interface Props {
  fields: FieldDefinition[];
  index: number;
  onChange: (f: FieldDefinition) => void;
  /** Problems of this field by setting (key, label, options, min, …), from the form model's validator. */
  errors: Record<string, string>;
  /** Keys field staff already answer (in the published version): they stay as they are. */
  lockedKeys: ReadonlySet<string>;
  /** Whether the key still follows the label (a new field whose key was not typed). */
  keyFollowsLabel: boolean;
  onKeyTyped: () => void;
  languages: string[];
  labelRef: React.Ref<HTMLInputElement>;
}

/** The options of a select as rows (label, and the stored value made from it); an empty last row adds one. */
const OptionRows = ({
  options,
  onChange,
  error,
  withAttributes,
}: {
  options: FieldOption[];
  onChange: (o: FieldOption[]) => void;
  error?: string;
  /** With "More rules" open: each choice's attributes, which a choice filter names (cascading choices). */
  withAttributes: boolean;
}) => {
  const t = useT();
  const rows = [...options, { value: '', label: '' }];
  const set = (i: number, label: string, value?: string) => {
    const others = new Set(options.filter((_, j) => j !== i).map((o) => o.value));
    const current = options[i];
    const follows = !current || current.value === '' || current.value === valueFromLabel(current.label, others);
    const next = { ...(current ?? {}), label, value: value ?? (follows ? valueFromLabel(label, others) : current.value) };
    const list = [...options];
    list[i] = next;
    onChange(list.filter((o, j) => j < options.length || o.label || o.value));
  };
  return (
    <Box>
      <Typography variant="pi" fontWeight="bold" tag="p">
        {t('builder.options', 'Choices')}
      </Typography>
      <Typography variant="pi" textColor="neutral600" tag="p">
        {t('builder.options.hint', 'One row per choice. The stored value is made from the label; change it only before the first publish.')}
      </Typography>
      {rows.map((o, i) => (
        <Flex key={i} gap={2} marginTop={2} alignItems="flex-end">
          <Box flex="2">
            <Field.Root name={`option-${i}`}>
              <Field.Label>
                {i < options.length ? t('builder.option', 'Choice {n}', { n: i + 1 }) : t('builder.option.new', 'New choice')}
              </Field.Label>
              <TextInput value={o.label} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set(i, e.target.value)} />
            </Field.Root>
          </Box>
          <Box flex="1">
            <Field.Root name={`option-value-${i}`}>
              <Field.Label>{t('builder.option.value', 'Stored as')}</Field.Label>
              <TextInput
                value={o.value}
                disabled={i >= options.length}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => set(i, o.label, e.target.value.replace(/['|\n]/g, ''))}
              />
            </Field.Root>
          </Box>
          {withAttributes && i < options.length ? (
            <Box flex="1">
              <Field.Root name={`option-attributes-${i}`}>
                <Field.Label>{t('builder.option.attributes', 'Attributes (e.g. region=north)')}</Field.Label>
                <TextInput
                  key={attributesText(o.attributes)}
                  defaultValue={attributesText(o.attributes)}
                  onBlur={(e: React.FocusEvent<HTMLInputElement>) => {
                    const attributes = parseAttributes(e.target.value);
                    const list = [...options];
                    const next: FieldOption = { value: o.value, label: o.label };
                    if (attributes) next.attributes = attributes;
                    list[i] = next;
                    onChange(list);
                  }}
                />
              </Field.Root>
            </Box>
          ) : null}
          {i < options.length ? (
            <IconButton
              label={t('builder.option.remove', 'Remove choice {n}', { n: i + 1 })}
              onClick={() => onChange(options.filter((_, j) => j !== i))}
            >
              <Trash />
            </IconButton>
          ) : (
            <Box width="3.2rem" />
          )}
        </Flex>
      ))}
      {error ? (
        <Typography variant="pi" textColor="danger600" tag="p" role="alert">
          {error}
        </Typography>
      ) : null}
    </Box>
  );
};

/** The settings of one field: only those its type uses, in plain words. */
export const FieldSettings = ({ fields, index, onChange, errors, lockedKeys, keyFollowsLabel, onKeyTyped, languages, labelRef }: Props) => {
  const t = useT();
  const f = fields[index];
  const uses = new Set(SETTINGS[f.type]);
  const [advanced, setAdvanced] = React.useState(Boolean(f.constraint || f.calculation || f.default || f.choiceFilter));
  const set = (patch: Partial<FieldDefinition>) => onChange({ ...f, ...patch });
  const others = new Set(fields.filter((_, i) => i !== index).map((g) => g.key));
  const limits = limitWords(f.type, t);
  const showIf = readShowIf(f);
  const sources = showIfSources(fields, index);
  const source = showIf ? sources.find((s) => s.key === showIf.field) : undefined;
  const values = source ? showIfValues(source) : null;
  const containers = containersFor(fields, index);
  const customRelevance = Boolean(f.relevant) && !showIf;

  return (
    <Flex direction="column" alignItems="stretch" gap={4} data-testid="eas-field-settings">
      <Grid.Root gap={4}>
        <Grid.Item col={8} s={12} direction="column" alignItems="stretch">
          <TextSetting
            name="field-label"
            inputRef={labelRef}
            label={f.type === 'note' ? t('builder.note-text', 'Text shown') : t('builder.label', 'Question')}
            hint={t('builder.label.hint', 'What field staff read.')}
            error={errors.label}
            required
            value={f.label}
            onChange={(label) =>
              set(keyFollowsLabel && !lockedKeys.has(f.key) ? { label, key: keyFromLabel(label, others, f.type) } : { label })
            }
          />
        </Grid.Item>
        <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
          <Field.Root name="field-type" hint={t('builder.type.hint', 'Changing it keeps only the settings the new type has.')}>
            <Field.Label>{t('builder.type', 'Kind of answer')}</Field.Label>
            <SingleSelect value={f.type} onChange={(v: string | number) => onChange(tidyField({ ...f, type: v as FieldType }))}>
              {PALETTE.map((type) => (
                <SingleSelectOption key={type} value={type}>
                  {typeName(type, t)}
                </SingleSelectOption>
              ))}
            </SingleSelect>
            <Field.Hint />
          </Field.Root>
        </Grid.Item>
      </Grid.Root>

      {uses.has('required') ? (
        <Checkbox checked={f.required} onCheckedChange={(on: boolean | 'indeterminate') => set({ required: on === true })}>
          {f.type === 'photo' ? t('builder.required.photo', 'The photo must be taken') : t('builder.required', 'An answer is required')}
        </Checkbox>
      ) : null}

      {uses.has('personal') ? (
        <Box>
          <Checkbox
            checked={f.personal === true}
            aria-describedby="field-personal-hint"
            onCheckedChange={(on: boolean | 'indeterminate') => onChange(withPersonal(f, on === true))}
          >
            {t('builder.personal', 'Personal data')}
          </Checkbox>
          <Typography id="field-personal-hint" variant="pi" textColor="neutral600" tag="p">
            {t('builder.personal.hint', 'Left out of exports without personal data')}
          </Typography>
        </Box>
      ) : null}

      {uses.has('options') ? (
        <OptionRows options={f.options ?? []} onChange={(options) => set({ options })} error={errors.options} withAttributes={advanced} />
      ) : null}

      {uses.has('showIf') ? (
        <Grid.Root gap={4}>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Field.Root
              name="field-show-if"
              hint={customRelevance ? t('builder.show-if.custom', 'Shown when: {expression}', { expression: f.relevant! }) : undefined}
              error={errors.relevant ?? errors.showIfField}
            >
              <Field.Label>{t('builder.show-if', 'Show this question')}</Field.Label>
              <SingleSelect
                value={showIf?.field ?? (customRelevance ? '__custom' : '__always')}
                onChange={(v: string | number) =>
                  v === '__custom'
                    ? undefined
                    : onChange(
                        withShowIf(
                          fields,
                          f,
                          v === '__always'
                            ? null
                            : { field: String(v), value: showIfValues(sources.find((s) => s.key === v)!)?.[0]?.value ?? '' }
                        )
                      )
                }
              >
                <SingleSelectOption value="__always">{t('builder.show-if.always', 'Always')}</SingleSelectOption>
                {customRelevance ? (
                  <SingleSelectOption value="__custom">
                    {t('builder.show-if.rule', 'When its rule holds (see More rules)')}
                  </SingleSelectOption>
                ) : null}
                {sources.map((s) => (
                  <SingleSelectOption key={s.key} value={s.key}>
                    {t('builder.show-if.when', 'Only when “{label}” is…', { label: s.label || s.key })}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
          {showIf ? (
            <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
              {values ? (
                <Field.Root name="field-show-if-value">
                  <Field.Label>{t('builder.show-if.value', 'Answer that shows it')}</Field.Label>
                  <SingleSelect
                    value={showIf.value}
                    onChange={(v: string | number) => onChange(withShowIf(fields, f, { field: showIf.field, value: String(v) }))}
                  >
                    {values.map((v) => (
                      <SingleSelectOption key={v.value} value={v.value}>
                        {v.value === 'true' && v.label === '✓' ? t('builder.show-if.ticked', 'Ticked') : v.label}
                      </SingleSelectOption>
                    ))}
                  </SingleSelect>
                </Field.Root>
              ) : (
                <TextSetting
                  name="field-show-if-value"
                  label={t('builder.show-if.value', 'Answer that shows it')}
                  value={showIf.value}
                  onChange={(value) => onChange(withShowIf(fields, f, { field: showIf.field, value }))}
                />
              )}
            </Grid.Item>
          ) : null}
        </Grid.Root>
      ) : null}

      {uses.has('help') ? (
        <TextSetting
          name="field-help"
          label={t('builder.help', 'Hint under the question')}
          value={f.help}
          error={errors.help}
          onChange={(help) => set({ help })}
        />
      ) : null}

      {(uses.has('min') || uses.has('max') || uses.has('step')) && limits ? (
        <Grid.Root gap={4}>
          {uses.has('min') && limits.min ? (
            <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
              <NumberSetting name="field-min" label={limits.min} value={f.min} error={errors.min} onChange={(min) => set({ min })} />
            </Grid.Item>
          ) : null}
          {uses.has('max') ? (
            <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
              <NumberSetting name="field-max" label={limits.max} value={f.max} error={errors.max} onChange={(max) => set({ max })} />
            </Grid.Item>
          ) : null}
          {uses.has('step') ? (
            <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
              <NumberSetting
                name="field-step"
                label={t('limit.step', 'Step')}
                value={f.step}
                error={errors.step}
                onChange={(step) => set({ step })}
              />
            </Grid.Item>
          ) : null}
        </Grid.Root>
      ) : null}

      {containers.length ? (
        <Field.Root name="field-group" hint={t('builder.group.hint', 'A question in a repeated group is asked once per entry.')}>
          <Field.Label>{t('builder.group', 'Inside')}</Field.Label>
          <SingleSelect value={f.group ?? '__top'} onChange={(v: string | number) => set({ group: v === '__top' ? undefined : String(v) })}>
            <SingleSelectOption value="__top">{t('builder.group.top', 'The form itself (no group)')}</SingleSelectOption>
            {containers.map((c) => (
              <SingleSelectOption key={c.key} value={c.key}>
                {c.label || c.key} ({typeName(c.type, t)})
              </SingleSelectOption>
            ))}
          </SingleSelect>
          <Field.Hint />
        </Field.Root>
      ) : null}

      <Box>
        <Button variant="tertiary" size="S" onClick={() => setAdvanced((a) => !a)} aria-expanded={advanced}>
          {advanced ? t('builder.fewer', 'Fewer rules') : t('builder.more', 'More rules: key, pattern, checks, calculation, translations')}
        </Button>
      </Box>
      {advanced ? (
        <Flex direction="column" alignItems="stretch" gap={4} data-testid="eas-field-advanced">
          <TextSetting
            name="field-key"
            label={t('builder.key', 'Stored as (key)')}
            hint={
              lockedKeys.has(f.key)
                ? t('builder.key.locked', 'Published: records already use this key, so it stays.')
                : t('builder.key.hint', 'The name of the answer in records, exports and rules (a-z, 0-9, _).')
            }
            error={errors.key}
            value={f.key}
            onChange={(key) => {
              onKeyTyped();
              if (!lockedKeys.has(f.key)) set({ key: key.toLowerCase() });
            }}
          />
          {uses.has('pattern') ? (
            <TextSetting
              name="field-pattern"
              label={t('builder.pattern', 'Pattern the answer must match (regular expression)')}
              value={f.pattern}
              error={errors.pattern}
              onChange={(pattern) => set({ pattern })}
            />
          ) : null}
          {uses.has('constraint') ? (
            <Grid.Root gap={4}>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <TextSetting
                  name="field-constraint"
                  label={t('builder.constraint', 'Check (expression; . is the answer)')}
                  hint={t('builder.constraint.hint', 'For example: . >= 0 and . <= ${count}')}
                  value={f.constraint}
                  error={errors.constraint}
                  onChange={(constraint) => set({ constraint })}
                />
              </Grid.Item>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <TextSetting
                  name="field-constraint-message"
                  label={t('builder.constraint-message', 'Message when the check fails')}
                  value={f.constraintMessage}
                  error={errors.constraintMessage}
                  onChange={(constraintMessage) => set({ constraintMessage })}
                />
              </Grid.Item>
            </Grid.Root>
          ) : null}
          {uses.has('calculation') ? (
            <TextSetting
              name="field-calculation"
              label={t('builder.calculation', 'Calculated from (expression; read-only on the phone)')}
              value={f.calculation}
              error={errors.calculation}
              onChange={(calculation) => set({ calculation })}
            />
          ) : null}
          {uses.has('default') ? (
            <TextSetting
              name="field-default"
              label={t('builder.default', 'Starts with (expression, e.g. today())')}
              value={f.default}
              error={errors.default}
              onChange={(d) => set({ default: d })}
            />
          ) : null}
          {uses.has('choiceFilter') ? (
            <TextSetting
              name="field-choice-filter"
              label={t('builder.choice-filter', 'Offer only the choices where (expression)')}
              hint={t('builder.choice-filter.hint', 'Cascading choices, e.g. region = ${region} with a region attribute on each choice.')}
              value={f.choiceFilter}
              error={errors.choiceFilter}
              onChange={(choiceFilter) => set({ choiceFilter })}
            />
          ) : null}
          {uses.has('showIf') ? (
            <TextSetting
              name="field-relevant"
              label={t('builder.relevant', 'Show when (expression)')}
              value={f.relevant}
              error={errors.relevant}
              onChange={(relevant) => set({ relevant, showIf: undefined })}
            />
          ) : null}
          {languages.flatMap((lang) =>
            (uses.has('options') ? (f.options ?? []) : []).map((o) => (
              <TextSetting
                key={`${lang}-${o.value}`}
                name={`option-${o.value}-${lang}`}
                label={t('builder.translation.option', 'Choice “{label}” in {lang}', { label: o.label, lang })}
                value={f.translations?.[lang]?.options?.[o.value]}
                onChange={(text) =>
                  set({
                    translations: {
                      ...f.translations,
                      [lang]: { ...f.translations?.[lang], options: { ...f.translations?.[lang]?.options, [o.value]: text } },
                    },
                  })
                }
              />
            ))
          )}
          {languages.map((lang) => (
            <Grid.Root key={lang} gap={4}>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <TextSetting
                  name={`field-label-${lang}`}
                  label={t('builder.translation.label', 'Question in {lang}', { lang })}
                  value={f.translations?.[lang]?.label}
                  onChange={(label) => set({ translations: { ...f.translations, [lang]: { ...f.translations?.[lang], label } } })}
                />
              </Grid.Item>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <TextSetting
                  name={`field-help-${lang}`}
                  label={t('builder.translation.help', 'Hint in {lang}', { lang })}
                  value={f.translations?.[lang]?.help}
                  onChange={(help) => set({ translations: { ...f.translations, [lang]: { ...f.translations?.[lang], help } } })}
                />
              </Grid.Item>
            </Grid.Root>
          ))}
        </Flex>
      ) : null}
    </Flex>
  );
};
