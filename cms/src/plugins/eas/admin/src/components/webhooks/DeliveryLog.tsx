import { Box, Button, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography, VisuallyHidden } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { useT, type Translate } from '../../hooks/useT';
import { useWebhooksApi, type WebhookDelivery, type WebhookEndpoint } from '../../hooks/useWebhooks';
import { apiError } from '../../utils/api-error';
import { CopyField } from '../CopyField';
import { StatusBadge } from '../StatusBadge';

/** The log is read again this often while it is open (the sender retries in the background). */
const REFRESH_MS = 2000;

const statusBadge = (d: WebhookDelivery, t: Translate) =>
  d.status === 'delivered' ? (
    <StatusBadge tone="success">{t('webhooks.delivery.delivered', 'Delivered')}</StatusBadge>
  ) : d.status === 'failed' ? (
    <StatusBadge tone="danger">{t('webhooks.delivery.failed', 'Failed')}</StatusBadge>
  ) : d.attempts > 0 ? (
    // The last attempt did fail; another one is due at nextAttemptAt.
    <StatusBadge tone="danger">{t('webhooks.delivery.retrying', 'Failed, will retry')}</StatusBadge>
  ) : (
    <StatusBadge tone="neutral">{t('webhooks.delivery.queued', 'Queued')}</StatusBadge>
  );

/** One endpoint: its signing secret and its delivery log (newest first), with Redeliver. */
export const DeliveryLog = ({ endpoint, onClose }: { endpoint: WebhookEndpoint; onClose: () => void }) => {
  const t = useT();
  const { formatDate } = useIntl();
  const api = useWebhooksApi();
  const { toggleNotification } = useNotification();
  const [rows, setRows] = React.useState<WebhookDelivery[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const when = (at: string | null) => (at ? formatDate(at, { dateStyle: 'short', timeStyle: 'medium' }) : '—');

  const load = React.useCallback(
    () =>
      api.deliveries(endpoint.id).then(
        (list) => {
          setRows(list);
          setError(null);
        },
        (err) => setError(apiError(err).message ?? t('webhooks.log.failed', 'The delivery log could not be read.'))
      ),
    [api, endpoint.id, t]
  );
  React.useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const redeliver = async (d: WebhookDelivery) => {
    try {
      await api.redeliver(endpoint.id, d.id);
      toggleNotification({ type: 'success', message: t('webhooks.redelivered', '{event} is being sent again', { event: d.eventType }) });
      void load();
    } catch (err) {
      toggleNotification({
        type: 'danger',
        message: apiError(err).message ?? t('webhooks.redeliver-failed', 'It could not be sent again.'),
      });
    }
  };

  const title = t('webhooks.log.title', 'Deliveries to {url}', { url: endpoint.url });
  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={5} tag="section" aria-label={title} data-testid="eas-webhook-log">
      <Flex justifyContent="space-between" alignItems="flex-start" gap={4}>
        <Typography variant="delta" tag="h2">
          {title}
        </Typography>
        <Button variant="tertiary" onClick={onClose}>
          {t('webhooks.log.close', 'Close')}
        </Button>
      </Flex>
      <Box marginTop={3}>
        <CopyField
          name="webhook-secret"
          label={t('webhooks.secret', 'Signing secret')}
          hint={t('webhooks.secret.hint', 'The receiver verifies each delivery’s webhook-signature header with it (Standard Webhooks).')}
          value={endpoint.secret}
        />
      </Box>
      {error ? (
        <Typography textColor="danger600" role="alert" tag="p">
          {error}
        </Typography>
      ) : null}
      <Box marginTop={4}>
        {rows && rows.length === 0 ? (
          <Typography textColor="neutral600" tag="p">
            {t('webhooks.log.empty', 'Nothing sent yet: events appear here once one this endpoint wants happens.')}
          </Typography>
        ) : (
          <Table colCount={7} rowCount={(rows?.length ?? 0) + 1} data-testid="eas-webhook-deliveries">
            <VisuallyHidden tag="caption">{t('webhooks.log.caption', 'Delivery log, newest first')}</VisuallyHidden>
            <Thead>
              <Tr>
                <Th>
                  <Typography variant="sigma">{t('webhooks.log.event', 'Event')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('webhooks.log.status', 'Status')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('webhooks.log.attempts', 'Attempts')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('webhooks.log.response', 'Last answer')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('webhooks.log.queued', 'Queued')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('webhooks.log.delivered', 'Delivered or next attempt')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('webhooks.log.actions', 'Actions')}</Typography>
                </Th>
              </Tr>
            </Thead>
            <Tbody>
              {(rows ?? []).map((d) => (
                <Tr key={d.id} data-event-id={d.eventId}>
                  <Td>
                    <Typography>{d.eventType}</Typography>
                  </Td>
                  <Td>{statusBadge(d, t)}</Td>
                  <Td>
                    <Typography>{d.attempts}</Typography>
                  </Td>
                  <Td>
                    <Flex direction="column" alignItems="flex-start">
                      <Typography>{d.lastStatusCode ?? '—'}</Typography>
                      {d.lastError ? (
                        <Typography variant="pi" textColor="danger600">
                          {d.lastError}
                        </Typography>
                      ) : null}
                    </Flex>
                  </Td>
                  <Td>
                    <Typography>{when(d.createdAt)}</Typography>
                  </Td>
                  <Td>
                    <Typography>
                      {d.deliveredAt
                        ? when(d.deliveredAt)
                        : d.status === 'pending' && d.nextAttemptAt
                          ? t('webhooks.log.next', 'next at {time}', { time: when(d.nextAttemptAt) })
                          : '—'}
                    </Typography>
                  </Td>
                  <Td>
                    <Button size="S" variant="secondary" onClick={() => void redeliver(d)}>
                      {t('webhooks.redeliver', 'Redeliver')}
                    </Button>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Box>
    </Box>
  );
};
