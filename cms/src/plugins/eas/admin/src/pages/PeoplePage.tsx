import { Badge, Box, Button, Field, Flex, Grid, Table, Tbody, Td, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { CopyField } from '../components/CopyField';
import { Notice } from '../components/Notice';
import { usePeopleApi, type FieldStaffRow } from '../hooks/usePeople';
import { useT } from '../hooks/useT';
import { fieldErrors, type FieldErrors } from '../utils/api-error';

type Errors = FieldErrors;

/** The server's 400 as messages by field (details.errors[].path). */
const errorsOf = (err: unknown): Errors => fieldErrors(err, 'The request failed');

/** A text that stays on screen until dismissed, with a Copy button (a password or a registration link). */
const Keep = ({
  title,
  value,
  label,
  onDismiss,
  testId,
}: {
  title: string;
  value: string;
  label: string;
  onDismiss: () => void;
  testId: string;
}) => {
  const t = useT();
  return (
    <Notice variant="success" title={title} testId={testId}>
      <Box marginTop={2}>
        <CopyField name={testId} label={label} value={value}>
          <Button variant="tertiary" onClick={onDismiss}>
            {t('people.done', 'Done')}
          </Button>
        </CopyField>
      </Box>
    </Notice>
  );
};

const FieldStaff = () => {
  const t = useT();
  const { formatDate } = useIntl();
  const api = usePeopleApi();
  const { toggleNotification } = useNotification();
  const [rows, setRows] = React.useState<FieldStaffRow[] | null>(null);
  const [forbidden, setForbidden] = React.useState(false);
  const [form, setForm] = React.useState({ username: '', email: '', password: '' });
  const [errors, setErrors] = React.useState<Errors>({});
  const [created, setCreated] = React.useState<{ username: string; password?: string } | null>(null);
  const load = React.useCallback(() => api.fieldStaff().then(setRows, () => setForbidden(true)), [api]);
  React.useEffect(() => {
    void load();
  }, [load]);

  const add = async () => {
    try {
      const res = await api.addFieldStaff({
        username: form.username,
        email: form.email,
        ...(form.password ? { password: form.password } : {}),
      });
      setCreated(res);
      setForm({ username: '', email: '', password: '' });
      setErrors({});
      void load();
    } catch (err) {
      setErrors(errorsOf(err));
    }
  };

  if (forbidden)
    return (
      <Typography textColor="neutral600">{t('people.no-users', 'Managing field staff needs the permission to manage users.')}</Typography>
    );
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Box
        background="neutral0"
        hasRadius
        shadow="tableShadow"
        padding={5}
        tag="section"
        aria-label={t('people.add-staff', 'Add field staff')}
      >
        <Typography variant="delta" tag="h2">
          {t('people.add-staff', 'Add field staff')}
        </Typography>
        <Typography variant="pi" textColor="neutral600" tag="p">
          {t('people.add-staff.hint', 'They get the Field staff role: they capture on the site and see only their own records.')}
        </Typography>
        <Grid.Root gap={4} marginTop={3}>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <Field.Root name="staff-username" error={errors.username} required>
              <Field.Label>{t('people.username', 'Username (to sign in)')}</Field.Label>
              <TextInput
                value={form.username}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, username: e.target.value })}
              />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <Field.Root name="staff-email" error={errors.email} required>
              <Field.Label>{t('people.email', 'Email')}</Field.Label>
              <TextInput
                type="email"
                value={form.email}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, email: e.target.value })}
              />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <Field.Root name="staff-password" error={errors.password} hint={t('people.password.hint', 'Leave empty to generate one.')}>
              <Field.Label>{t('people.password', 'First password')}</Field.Label>
              <TextInput
                type="password"
                autoComplete="new-password"
                value={form.password}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, password: e.target.value })}
              />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
        </Grid.Root>
        {errors[''] ? (
          <Typography textColor="danger600" role="alert">
            {errors['']}
          </Typography>
        ) : null}
        <Box marginTop={3}>
          <Button onClick={() => void add()}>{t('people.add', 'Add')}</Button>
        </Box>
        {created ? (
          <Box marginTop={3}>
            {created.password ? (
              <Keep
                testId="eas-new-password"
                title={t('people.created', '{username} can sign in now', { username: created.username })}
                label={t('people.give-password', 'Give them this password (shown only now)')}
                value={created.password}
                onDismiss={() => setCreated(null)}
              />
            ) : (
              <Notice
                variant="success"
                title={t('people.created', '{username} can sign in now', { username: created.username })}
                testId="eas-new-staff"
              />
            )}
          </Box>
        ) : null}
      </Box>
      <Box background="neutral0" hasRadius shadow="tableShadow">
        <Table colCount={6} rowCount={(rows?.length ?? 0) + 1} data-testid="eas-field-staff">
          <Thead>
            <Tr>
              <Th>
                <Typography variant="sigma">{t('people.username.short', 'Username')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('people.email', 'Email')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('people.last-sync', 'Last sent something')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('people.waiting', 'Waiting for review')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('people.status', 'Status')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('people.actions', 'Actions')}</Typography>
              </Th>
            </Tr>
          </Thead>
          <Tbody>
            {(rows ?? []).map((u) => (
              <Tr key={u.id}>
                <Td>
                  <Typography>{u.username}</Typography>
                </Td>
                <Td>
                  <Typography>{u.email}</Typography>
                </Td>
                <Td>
                  <Typography>
                    {u.lastSync ? formatDate(u.lastSync, { dateStyle: 'medium', timeStyle: 'short' }) : t('people.never', 'Never')}
                  </Typography>
                </Td>
                <Td>
                  <Typography>
                    {u.waiting} / {u.records}
                  </Typography>
                </Td>
                <Td>
                  {u.blocked ? (
                    <Badge variant="danger">{t('people.blocked', 'Blocked')}</Badge>
                  ) : (
                    <Badge variant="success">{t('people.active', 'Active')}</Badge>
                  )}
                </Td>
                <Td>
                  <Button
                    size="S"
                    variant={u.blocked ? 'secondary' : 'danger-light'}
                    onClick={async () => {
                      await api.setBlocked(u.id, !u.blocked);
                      toggleNotification({
                        type: 'success',
                        message: u.blocked
                          ? t('people.unblocked', '{username} can sign in again', { username: u.username })
                          : t('people.blocked.done', '{username} is blocked: signed out everywhere, cannot sign in', {
                              username: u.username,
                            }),
                      });
                      void load();
                    }}
                  >
                    {u.blocked
                      ? t('people.unblock', 'Unblock {username}', { username: u.username })
                      : t('people.block', 'Block {username}', { username: u.username })}
                  </Button>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      </Box>
    </Flex>
  );
};

const Editors = () => {
  const t = useT();
  const api = usePeopleApi();
  const [form, setForm] = React.useState({ firstname: '', lastname: '', email: '' });
  const [errors, setErrors] = React.useState<Errors>({});
  const [link, setLink] = React.useState<string | null>(null);
  const invite = async () => {
    try {
      const res = await api.inviteEditor({
        firstname: form.firstname,
        email: form.email,
        ...(form.lastname ? { lastname: form.lastname } : {}),
      });
      setLink(`${window.location.origin}/admin/auth/register?registrationToken=${res.registrationToken}`);
      setForm({ firstname: '', lastname: '', email: '' });
      setErrors({});
    } catch (err) {
      setErrors(errorsOf(err));
    }
  };
  return (
    <Box
      background="neutral0"
      hasRadius
      shadow="tableShadow"
      padding={5}
      tag="section"
      aria-label={t('people.add-editor', 'Invite an editor')}
    >
      <Typography variant="delta" tag="h2">
        {t('people.add-editor', 'Invite an editor')}
      </Typography>
      <Typography variant="pi" textColor="neutral600" tag="p">
        {t(
          'people.add-editor.hint',
          'Editors get the EAS editor role: they review, approve or reject and export records; they cannot change or delete evidence.'
        )}
      </Typography>
      <Grid.Root gap={4} marginTop={3}>
        {(['firstname', 'lastname', 'email'] as const).map((k) => (
          <Grid.Item key={k} col={4} s={12} direction="column" alignItems="stretch">
            <Field.Root name={`editor-${k}`} error={errors[k]} required={k !== 'lastname'}>
              <Field.Label>
                {k === 'firstname'
                  ? t('people.firstname', 'First name')
                  : k === 'lastname'
                    ? t('people.lastname', 'Last name')
                    : t('people.email', 'Email')}
              </Field.Label>
              <TextInput
                type={k === 'email' ? 'email' : 'text'}
                value={form[k]}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.target.value })}
              />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
        ))}
      </Grid.Root>
      {errors[''] ? (
        <Typography textColor="danger600" role="alert">
          {errors['']}
        </Typography>
      ) : null}
      <Box marginTop={3}>
        <Button onClick={() => void invite()}>{t('people.invite', 'Invite')}</Button>
      </Box>
      {link ? (
        <Box marginTop={3}>
          <Keep
            testId="eas-invite-link"
            title={t('people.invited', 'Invitation ready')}
            label={t('people.invite-link', 'Send them this link to choose their password')}
            value={link}
            onDismiss={() => setLink(null)}
          />
        </Box>
      ) : null}
    </Box>
  );
};

/** EAS → People: field staff (add, see their activity, block) and editors (invite with the EAS editor role). */
export const PeoplePage = () => {
  const t = useT();
  return (
    <Page.Main>
      <Page.Title>{t('people.title', 'People')}</Page.Title>
      <Layouts.Header
        title={t('people.title', 'People')}
        subtitle={t('people.subtitle', 'Field staff who capture, and editors who review.')}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <FieldStaff />
          <Editors />
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};
