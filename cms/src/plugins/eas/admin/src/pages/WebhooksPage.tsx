import {
  Box,
  Button,
  Dialog,
  EmptyStateLayout,
  Flex,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
  VisuallyHidden,
} from '@strapi/design-system';
import { Plus } from '@strapi/icons';
import { ConfirmDialog, Layouts, Page, useNotification } from '@strapi/strapi/admin';
import * as React from 'react';
import { StatusBadge } from '../components/StatusBadge';
import { DeliveryLog } from '../components/webhooks/DeliveryLog';
import { EndpointEditor } from '../components/webhooks/EndpointEditor';
import { useFormsApi, type FormListItem } from '../hooks/useForms';
import { useT } from '../hooks/useT';
import { useWebhooksApi, type WebhookEndpoint } from '../hooks/useWebhooks';
import { PERMISSIONS } from '../pluginId';
import { apiError } from '../utils/api-error';

type Editing = { endpoint?: WebhookEndpoint } | null;

/** EAS → Webhooks: endpoints (add, change, delete), each one's secret and delivery log with Redeliver (docs/webhooks.md). */
const Webhooks = () => {
  const t = useT();
  const api = useWebhooksApi();
  const formsApi = useFormsApi();
  const { toggleNotification } = useNotification();
  const [endpoints, setEndpoints] = React.useState<WebhookEndpoint[] | null>(null);
  const [failed, setFailed] = React.useState(false);
  const [forms, setForms] = React.useState<FormListItem[]>([]);
  const [editing, setEditing] = React.useState<Editing>(null);
  const [open, setOpen] = React.useState<string | null>(null);
  const [deleting, setDeleting] = React.useState<WebhookEndpoint | null>(null);

  const load = React.useCallback(() => api.list().then(setEndpoints, () => setFailed(true)), [api]);
  React.useEffect(() => {
    void load();
    // Without the permission to read forms the filter offers "Every form" (and an endpoint's own form) only.
    formsApi.list().then(setForms, () => setForms([]));
  }, [load, formsApi]);

  const formName = (slug: string | null) =>
    slug ? (forms.find((f) => f.slug === slug)?.name ?? slug) : t('webhooks.form.all', 'Every form');
  const remove = async (endpoint: WebhookEndpoint) => {
    try {
      await api.remove(endpoint.id);
      toggleNotification({ type: 'success', message: t('webhooks.deleted', 'The endpoint and its delivery log are deleted.') });
      if (open === endpoint.id) setOpen(null);
      void load();
    } catch (err) {
      toggleNotification({ type: 'danger', message: apiError(err).message ?? t('webhooks.delete-failed', 'It could not be deleted.') });
    } finally {
      setDeleting(null);
    }
  };

  if (failed) return <Page.Error />;
  if (!endpoints) return <Page.Loading />;
  const shown = endpoints.find((e) => e.id === open);
  return (
    <Page.Main>
      <Page.Title>{t('webhooks.title', 'Webhooks')}</Page.Title>
      <Layouts.Header
        title={t('webhooks.title', 'Webhooks')}
        subtitle={t(
          'webhooks.subtitle',
          'EAS POSTs a signed event to these URLs after a change, and retries until the receiver answers 2xx.'
        )}
        primaryAction={
          <Button startIcon={<Plus />} onClick={() => setEditing({})} disabled={Boolean(editing)}>
            {t('webhooks.add.title', 'Add an endpoint')}
          </Button>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          {editing ? (
            <EndpointEditor
              key={editing.endpoint?.id ?? 'new'}
              endpoint={editing.endpoint}
              forms={forms}
              onCancel={() => setEditing(null)}
              onSaved={(saved) => {
                setEditing(null);
                setOpen(saved.id);
                toggleNotification({ type: 'success', message: t('webhooks.saved', 'Endpoint saved.') });
                void load();
              }}
            />
          ) : null}
          {endpoints.length === 0 ? (
            <EmptyStateLayout
              content={t('webhooks.empty', 'No endpoint yet. Add one to send records and exports to another system as they happen.')}
            />
          ) : (
            <Box background="neutral0" hasRadius shadow="tableShadow">
              <Table colCount={5} rowCount={endpoints.length + 1} data-testid="eas-webhooks">
                <VisuallyHidden tag="caption">{t('webhooks.caption', 'Webhook endpoints')}</VisuallyHidden>
                <Thead>
                  <Tr>
                    <Th>
                      <Typography variant="sigma">{t('webhooks.url', 'URL')}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{t('webhooks.events', 'Events')}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{t('webhooks.form', 'Form')}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{t('webhooks.state', 'State')}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{t('webhooks.actions', 'Actions')}</Typography>
                    </Th>
                  </Tr>
                </Thead>
                <Tbody>
                  {endpoints.map((e) => (
                    <Tr key={e.id}>
                      <Td>
                        <Flex direction="column" alignItems="flex-start">
                          <Typography fontWeight="bold" style={{ wordBreak: 'break-all' }}>
                            {e.url}
                          </Typography>
                          {e.description ? (
                            <Typography variant="pi" textColor="neutral600">
                              {e.description}
                            </Typography>
                          ) : null}
                        </Flex>
                      </Td>
                      <Td>
                        <Typography>{e.events.join(', ')}</Typography>
                      </Td>
                      <Td>
                        <Typography>
                          {formName(e.form)}
                          {e.includeData ? ` · ${t('webhooks.with-data', 'with captured data')}` : ''}
                        </Typography>
                      </Td>
                      <Td>
                        <StatusBadge tone={e.enabled ? 'success' : 'neutral'}>
                          {e.enabled ? t('webhooks.on', 'Enabled') : t('webhooks.off', 'Paused')}
                        </StatusBadge>
                      </Td>
                      <Td>
                        <Flex gap={2}>
                          <Button size="S" variant="secondary" onClick={() => setOpen(e.id)} aria-pressed={open === e.id}>
                            {t('webhooks.open-log', 'Deliveries')}
                          </Button>
                          <Button size="S" variant="tertiary" onClick={() => setEditing({ endpoint: e })}>
                            {t('webhooks.edit', 'Edit')}
                          </Button>
                          <Button size="S" variant="danger-light" onClick={() => setDeleting(e)}>
                            {t('webhooks.delete', 'Delete')}
                          </Button>
                        </Flex>
                      </Td>
                    </Tr>
                  ))}
                </Tbody>
              </Table>
            </Box>
          )}
          {shown ? <DeliveryLog key={shown.id} endpoint={shown} onClose={() => setOpen(null)} /> : null}
        </Flex>
        <Dialog.Root open={Boolean(deleting)} onOpenChange={(isOpen: boolean) => !isOpen && setDeleting(null)}>
          {deleting ? (
            <ConfirmDialog title={t('webhooks.delete.title', 'Delete this endpoint?')} onConfirm={() => remove(deleting)}>
              {t('webhooks.delete.body', 'EAS stops sending to {url}, and its delivery log is deleted with it.', { url: deleting.url })}
            </ConfirmDialog>
          ) : null}
        </Dialog.Root>
      </Layouts.Content>
    </Page.Main>
  );
};

export const WebhooksPage = () => (
  <Page.Protect permissions={PERMISSIONS.webhooks}>
    <Webhooks />
  </Page.Protect>
);
