import { Box, Button, Checkbox, Field, Flex, Grid, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import * as React from 'react';
import type { FormListItem } from '../../hooks/useForms';
import { useT } from '../../hooks/useT';
import {
  WEBHOOK_EVENTS,
  useWebhooksApi,
  type WebhookEndpoint,
  type WebhookEndpointInput,
  type WebhookEvent,
} from '../../hooks/useWebhooks';
import { fieldErrors, type FieldErrors } from '../../utils/api-error';

const EMPTY: WebhookEndpointInput = { url: '', events: [], form: null, includeData: false, enabled: true, description: null };

const EVENT_WORDS: Record<WebhookEvent, string> = {
  'record.created': 'a record was stored',
  'record.submitted': 'a record was submitted',
  'record.reviewed': 'a record was approved or rejected',
  'record.changed': 'a record’s answers changed',
  'media.processed': 'a photo was processed',
  'export.done': 'an export finished',
  'integrity.altered': 'the integrity check found altered records',
};

const ALL_FORMS = '__all';

interface Props {
  /** The endpoint to change; a new one when absent. */
  endpoint?: WebhookEndpoint;
  forms: FormListItem[];
  onSaved: (endpoint: WebhookEndpoint) => void;
  onCancel: () => void;
}

/** Adds or changes an endpoint: URL, events, form filter, captured data, enabled, description; 400s under their field. */
export const EndpointEditor = ({ endpoint, forms, onSaved, onCancel }: Props) => {
  const t = useT();
  const api = useWebhooksApi();
  const [value, setValue] = React.useState<WebhookEndpointInput>(
    endpoint
      ? {
          url: endpoint.url,
          events: endpoint.events,
          form: endpoint.form,
          includeData: endpoint.includeData,
          enabled: endpoint.enabled,
          description: endpoint.description,
        }
      : EMPTY
  );
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const [busy, setBusy] = React.useState(false);
  const set = (patch: Partial<WebhookEndpointInput>) => setValue((v) => ({ ...v, ...patch }));
  const toggleEvent = (event: WebhookEvent, on: boolean) =>
    set({ events: WEBHOOK_EVENTS.filter((e) => (e === event ? on : value.events.includes(e))) });
  // The endpoint's form stays choosable when the forms list could not be read (or the form is gone).
  const formOptions = value.form && !forms.some((f) => f.slug === value.form) ? [{ slug: value.form, name: value.form }, ...forms] : forms;
  const title = endpoint ? t('webhooks.edit.title', 'Change the endpoint') : t('webhooks.add.title', 'Add an endpoint');

  const save = async () => {
    setBusy(true);
    try {
      const body = { ...value, url: value.url.trim(), description: value.description?.trim() || null };
      onSaved(endpoint ? await api.update(endpoint.id, body) : await api.create(body));
    } catch (err) {
      setErrors(fieldErrors(err, t('webhooks.save-failed', 'The endpoint could not be saved.'), { top: true }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={5} tag="section" aria-label={title}>
      <Typography variant="delta" tag="h2">
        {title}
      </Typography>
      <Flex direction="column" alignItems="stretch" gap={4} marginTop={3}>
        <Grid.Root gap={4}>
          <Grid.Item col={8} s={12} direction="column" alignItems="stretch">
            <Field.Root
              name="webhook-url"
              error={errors.url}
              required
              hint={t('webhooks.url.hint', 'Where EAS POSTs each event (https:// in production).')}
            >
              <Field.Label>{t('webhooks.url', 'URL')}</Field.Label>
              <TextInput type="url" value={value.url} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ url: e.target.value })} />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <Field.Root name="webhook-form" error={errors.form} hint={t('webhooks.form.hint', 'Only this form’s records.')}>
              <Field.Label>{t('webhooks.form', 'Form')}</Field.Label>
              <SingleSelect
                value={value.form ?? ALL_FORMS}
                onChange={(v: string | number) => set({ form: v === ALL_FORMS ? null : String(v) })}
              >
                <SingleSelectOption value={ALL_FORMS}>{t('webhooks.form.all', 'Every form')}</SingleSelectOption>
                {formOptions.map((f) => (
                  <SingleSelectOption key={f.slug} value={f.slug}>
                    {f.name}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
        </Grid.Root>

        <Box tag="fieldset" borderWidth={0} padding={0} aria-describedby={errors.events ? 'webhook-events-error' : undefined}>
          <Typography tag="legend" variant="pi" fontWeight="bold">
            {t('webhooks.events', 'Events')}
          </Typography>
          <Grid.Root gap={2} marginTop={2}>
            {WEBHOOK_EVENTS.map((event) => (
              <Grid.Item key={event} col={6} s={12}>
                <Checkbox
                  checked={value.events.includes(event)}
                  onCheckedChange={(on: boolean | 'indeterminate') => toggleEvent(event, on === true)}
                >
                  {`${event} — ${t(`webhooks.event.${event}`, EVENT_WORDS[event])}`}
                </Checkbox>
              </Grid.Item>
            ))}
          </Grid.Root>
          {errors.events ? (
            <Typography id="webhook-events-error" variant="pi" textColor="danger600" tag="p" role="alert">
              {errors.events}
            </Typography>
          ) : null}
        </Box>

        <Box>
          <Checkbox
            checked={value.includeData}
            aria-describedby="webhook-include-data-hint"
            onCheckedChange={(on: boolean | 'indeterminate') => set({ includeData: on === true })}
          >
            {t('webhooks.include-data', 'Include the captured data')}
          </Checkbox>
          <Typography id="webhook-include-data-hint" variant="pi" textColor="neutral600" tag="p">
            {t('webhooks.include-data.hint', 'The record’s answers travel in every event; leave it off unless the receiver needs them.')}
          </Typography>
          {errors.includeData ? (
            <Typography variant="pi" textColor="danger600" tag="p" role="alert">
              {errors.includeData}
            </Typography>
          ) : null}
        </Box>
        <Checkbox checked={value.enabled} onCheckedChange={(on: boolean | 'indeterminate') => set({ enabled: on === true })}>
          {t('webhooks.enabled', 'Enabled: send events to this endpoint')}
        </Checkbox>

        <Field.Root name="webhook-description" error={errors.description}>
          <Field.Label>{t('webhooks.description', 'Description')}</Field.Label>
          <TextInput
            value={value.description ?? ''}
            onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ description: e.target.value })}
          />
          <Field.Error />
        </Field.Root>

        {errors[''] ? (
          <Typography textColor="danger600" role="alert">
            {errors['']}
          </Typography>
        ) : null}
        <Flex gap={2}>
          <Button loading={busy} onClick={() => void save()}>
            {endpoint ? t('webhooks.save', 'Save') : t('webhooks.add', 'Add endpoint')}
          </Button>
          <Button variant="tertiary" onClick={onCancel}>
            {t('webhooks.cancel', 'Cancel')}
          </Button>
        </Flex>
      </Flex>
    </Box>
  );
};
