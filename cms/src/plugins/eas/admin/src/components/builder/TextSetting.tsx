import { Field, NumberInput, TextInput, Textarea } from '@strapi/design-system';
import * as React from 'react';

interface Props {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
}

/** One labelled text setting (its hint and error under it). */
export const TextSetting = ({
  value,
  onChange,
  multiline,
  inputRef,
  ...p
}: Props & { value: string | undefined; onChange: (v: string) => void; multiline?: boolean; inputRef?: React.Ref<HTMLInputElement> }) => (
  <Field.Root name={p.name} hint={p.hint} error={p.error} required={p.required}>
    <Field.Label>{p.label}</Field.Label>
    {multiline ? (
      <Textarea value={value ?? ''} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => onChange(e.target.value)} />
    ) : (
      <TextInput ref={inputRef} value={value ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange(e.target.value)} />
    )}
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);

/** One labelled number setting; empty is "not set". */
export const NumberSetting = ({
  value,
  onChange,
  ...p
}: Props & { value: number | undefined; onChange: (v: number | undefined) => void }) => (
  <Field.Root name={p.name} hint={p.hint} error={p.error}>
    <Field.Label>{p.label}</Field.Label>
    <NumberInput
      value={value ?? undefined}
      onValueChange={(v: number | undefined) => onChange(v === undefined || Number.isNaN(v) ? undefined : v)}
    />
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);
