import type { DbAccess } from '../cms/tests/db-access';
import { createEditor, submitRecord } from '../cms/tests/harness';
import { expect, test } from './fixtures';
import { AdminPage } from './pages/AdminPage';

/** Changes a record's captured values in the database, as an insider with database access would. */
const alterData = async (database: DbAccess, reference: string, changes: Record<string, unknown>) => {
  const [row] = await database.query<{ data: string | object }>('select data from eas_records where reference = ?', [reference]);
  const data = typeof row.data === 'string' ? JSON.parse(row.data) : row.data;
  await database.query('update eas_records set data = ? where reference = ?', [JSON.stringify({ ...data, ...changes }), reference]);
};

test.describe('editors see the custody of a record', () => {
  test('an editor opening a record changed directly in the database is told it no longer matches, and is not offered Approve', async ({
    page,
    baseURL,
    adminToken,
    fieldStaff,
    publishForm,
    database,
  }) => {
    const slug = await publishForm(`Altered form ${Date.now().toString(36)}`);
    const record = await submitRecord(baseURL!, fieldStaff.jwt, slug, { notes: 'Meter reads 0412' });
    const editor = await createEditor(baseURL!, adminToken);
    await alterData(database, record.reference, { notes: 'Meter reads 9412' });

    const admin = new AdminPage(page);
    await admin.logIn(editor.email, editor.password);
    await admin.openRecord(record.documentId);

    const integrity = admin.integrityStatus();
    await expect(integrity).toHaveAttribute('role', 'alert');
    await expect(integrity).toContainText('Altered: this record no longer matches what EAS recorded');
    await expect(integrity.getByRole('listitem')).toHaveText(['the recorded information']);
    await expect(integrity).toContainText('It must not be approved');
    const panel = admin.recordPanel();
    await expect(panel.getByRole('button', { name: 'Reject' })).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    await expect(page.getByTestId('eas-approve-withheld')).toBeVisible();
    // Editors do not hold plugin::eas.redact.
    await expect(panel.getByRole('button', { name: 'Redact personal data…' })).toHaveCount(0);
  });

  test('an editor sees an untouched record intact, and an approval after it was altered meanwhile is refused with the reason', async ({
    page,
    baseURL,
    adminToken,
    fieldStaff,
    publishForm,
    database,
  }) => {
    const slug = await publishForm(`Intact form ${Date.now().toString(36)}`);
    const record = await submitRecord(baseURL!, fieldStaff.jwt, slug, { notes: 'Seal 5521 in place' });
    const editor = await createEditor(baseURL!, adminToken);

    const admin = new AdminPage(page);
    await admin.logIn(editor.email, editor.password);
    await admin.openRecord(record.documentId);

    const integrity = admin.integrityStatus();
    await expect(integrity).toContainText('Intact: this record matches what EAS recorded');
    await expect(integrity).toContainText('Checked just now');
    const history = admin.recordHistory();
    // The form needs no photo or signature: the record was submitted as it was created.
    await expect(history.locator('li[data-action="record.created"]')).toContainText(`Created and submitted · ${fieldStaff.username}`);
    await expect(history.locator('li[data-action="record.viewed"]')).toHaveCount(0);

    await alterData(database, record.reference, { notes: 'Seal 5521 missing' });
    const panel = admin.recordPanel();
    await panel.getByRole('button', { name: 'Approve' }).click();

    await expect(page.getByTestId('eas-review-refused')).toContainText('cannot be approved');
    await expect(integrity).toContainText('no longer matches what EAS recorded');
    await expect(panel.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    await expect(page.getByTestId('eas-record-status')).toHaveText('Submitted');
  });

  test('an administrator redacts a value with a reason; the record says when, and its history who did it', async ({
    page,
    baseURL,
    fieldStaff,
    publishForm,
  }) => {
    const slug = await publishForm(`Redaction form ${Date.now().toString(36)}`);
    const record = await submitRecord(baseURL!, fieldStaff.jwt, slug, { notes: 'Call Ada on 0170 5550123' });

    const admin = new AdminPage(page);
    await admin.logIn(process.env.EAS_ADMIN_EMAIL!, process.env.EAS_ADMIN_PASSWORD!);
    await admin.openRecord(record.documentId);
    await expect(admin.integrityStatus()).toContainText('Intact');

    await admin.redact('Data-protection request DPR-0042', ['Notes']);

    await expect(page.getByText('Personal data redacted', { exact: true }).first()).toBeVisible();
    await expect(admin.integrityStatus()).toContainText('Redacted on');
    await expect(admin.recordPanel().getByText('Call Ada on 0170 5550123')).toHaveCount(0);
    await expect(admin.recordHistory().locator('li[data-action="record.redacted"]')).toContainText('Ada Admin');
  });
});
