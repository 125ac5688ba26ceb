import { randomUUID } from 'node:crypto';
import net from 'node:net';
import smtpTester from 'smtp-tester';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAndPublishForm,
  createEditor,
  createFieldStaff,
  freePort,
  http,
  registerAdmin,
  startStrapi,
  type StrapiInstance,
} from '../harness';

/** A local SMTP sink receives what EAS sends (no mail leaves the machine). */
describe('email notifications', () => {
  let mail: ReturnType<typeof smtpTester.init>;
  let strapi: StrapiInstance;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;
  let editor: Awaited<ReturnType<typeof createEditor>>;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    mail = smtpTester.init(port);
    strapi = await startStrapi({
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_IGNORE_TLS: 'true', SMTP_FROM: 'EAS <eas@example.org>' },
    });
    const admin = await registerAdmin(strapi.url);
    staff = await createFieldStaff(strapi.url, admin.token);
    editor = await createEditor(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, {
      name: 'Mailed form',
      slug: 'mailed',
      fields: [{ key: 'note', label: 'Note', type: 'text' }],
      frontPhoto: { enabled: false },
      backPhoto: { enabled: false },
      signatures: [],
      notifyEmails: 'supervisor@example.org, not-an-address\nauditor@example.org',
    });
  });

  afterAll(async () => {
    await strapi?.stop();
    await new Promise<void>((resolve) => (mail ? mail.stop(() => resolve()) : resolve()));
  });

  const submit = async () => {
    const res = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: { clientId: randomUUID(), form: 'mailed', formVersion: 1, data: { note: 'x' }, capturedAt: new Date().toISOString() },
    });
    expect(res.status).toBe(201);
    return res.body.data as { documentId: string; reference: string };
  };

  it('tells the form’s notify list about each submission', async () => {
    const waiting = Promise.all([
      mail.captureOne('supervisor@example.org', { wait: 10_000 }),
      mail.captureOne('auditor@example.org', { wait: 10_000 }),
    ]);
    const rec = await submit();
    const [a, b] = await waiting;
    expect(a.email.headers.subject).toBe(`New Mailed form record ${rec.reference}`);
    expect(b.email.body).toContain(staff.username);
  });

  it('sends the owner the editor’s comment when a record is rejected, escaped in HTML', async () => {
    const rec = await submit();
    const waiting = mail.captureOne(`${staff.username}@example.com`, { wait: 10_000 });
    const res = await http(`${strapi.url}/eas/records/${rec.documentId}/review`, {
      method: 'POST',
      token: editor.token,
      json: { decision: 'reject', comment: 'Retake the <b>meter</b> photo' },
    });
    expect(res.status).toBe(200);
    const { email } = await waiting;
    expect(email.headers.subject).toBe(`Record ${rec.reference} needs changes`);
    expect(email.body).toContain('Retake the <b>meter</b> photo');
    expect(email.html).toContain('Retake the &lt;b&gt;meter&lt;/b&gt; photo');
  });

  it('never blocks or fails the request when the mail server hangs', async () => {
    // A mail server that accepts the connection and never says a word: an awaited send would hold the request until
    // nodemailer's timeouts closed that connection. The answer must come while the connection is still open.
    await new Promise<void>((resolve) => mail.stop(() => resolve()));
    const events: string[] = [];
    const sockets = new Set<net.Socket>();
    const hanging = net.createServer((socket) => {
      sockets.add(socket);
      events.push('mail connected');
      socket.on('close', () => events.push('mail connection closed'));
    });
    await new Promise<void>((resolve) => hanging.listen(port, '127.0.0.1', resolve));
    try {
      const rec = await submit();
      events.push('request answered');
      expect(rec.reference).toMatch(/^EAS-/);
      // The notification was really attempted (so the above proves something): the submission's mail connects.
      for (let i = 0; i < 100 && !events.includes('mail connected'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(events).toContain('mail connected');
      expect(events).not.toContain('mail connection closed');
      expect((await http(`${strapi.url}/api/eas/records/${rec.documentId}`, { token: staff.jwt })).body.data.status).toBe('submitted');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });
});
