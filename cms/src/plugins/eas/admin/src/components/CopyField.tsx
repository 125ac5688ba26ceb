import { Box, Button, Field, Flex, TextInput } from '@strapi/design-system';
import * as React from 'react';
import { useT } from '../hooks/useT';

interface CopyFieldProps {
  /** The field's name (and the id its label points at). */
  name: string;
  label: string;
  value: string;
  hint?: string;
  /** Shown after Copy (e.g. Done on a one-time password). */
  children?: React.ReactNode;
}

/** A read-only text (a password, a link, a signing secret) with a Copy button; focusing it selects it. */
export const CopyField = ({ name, label, value, hint, children }: CopyFieldProps) => {
  const t = useT();
  // Which value was copied: another value shown in the same field is not "Copied" yet.
  const [copiedValue, setCopiedValue] = React.useState<string | null>(null);
  const copied = copiedValue === value;
  return (
    <Field.Root name={name} hint={hint}>
      <Field.Label>{label}</Field.Label>
      <Flex gap={2}>
        <Box flex="1">
          <TextInput readOnly value={value} onFocus={(e: React.FocusEvent<HTMLInputElement>) => e.target.select()} />
        </Box>
        <Button
          variant="secondary"
          size="L"
          onClick={() =>
            void navigator.clipboard?.writeText(value).then(
              () => setCopiedValue(value),
              () => setCopiedValue(null)
            )
          }
        >
          {copied ? t('people.copied', 'Copied') : t('people.copy', 'Copy')}
        </Button>
        {children}
      </Flex>
      {hint ? <Field.Hint /> : null}
    </Field.Root>
  );
};
