import type { Core } from '@strapi/strapi';
import { EVENTS, type RecordEvent } from '../../../shared/events';
import type { EasConfig } from '../config';
import { UID } from '../constants';
import { escapeHtml } from '../utils/pdf-html';

const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

/** "a@x.org, b@y.org\nc@z.org" → valid, distinct addresses. */
export const parseRecipients = (text: string | null | undefined) => [
  ...new Set(
    (text ?? '')
      .split(/[\s,;]+/)
      .map((s) => s.trim())
      .filter((s) => EMAIL.test(s))
  ),
];

/**
 * Email notifications, subscribed to domain events (so they run after the write committed and never block or fail
 * the request): a rejected record's owner gets the editor's comment; each new submission goes to the form's notify
 * list. Failures are logged. Only when SMTP is configured.
 */
const notificationsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const listeners: [string, (payload: unknown) => Promise<void>][] = [];
  const origin = () => ((strapi.config.get('plugin::eas') as EasConfig).publicUrl || '').replace(/\/+$/, '');

  const send = async (to: string[], subject: string, text: string, html: string) => {
    if (to.length === 0) return;
    try {
      await strapi
        .plugin('email')
        .service('email')
        .send({ to: to.join(', '), subject, text, html });
    } catch (err) {
      strapi.log.error(`[eas] notification "${subject}" to ${to.length} recipient(s) failed: ${(err as Error).message}`);
    }
  };

  const onReviewed = async (payload: unknown) => {
    const e = payload as RecordEvent;
    if (e.status !== 'rejected' || !e.owner) return;
    const user: { email?: string } | null = await strapi.db.query(UID.user).findOne({ where: { id: e.owner.id }, select: ['email'] });
    if (!user?.email) return;
    const comment = e.reviewComment ?? '';
    await send(
      [user.email],
      `Record ${e.reference} needs changes`,
      `Your record ${e.reference} (${e.form.name}) was rejected.\n\nEditor's comment:\n${comment}\n\nOpen the EAS capture site to correct it and submit it again.${origin() ? `\n${origin()}/` : ''}`,
      `<p>Your record <strong>${escapeHtml(e.reference)}</strong> (${escapeHtml(e.form.name)}) was rejected.</p>` +
        `<p>Editor's comment:</p><blockquote>${escapeHtml(comment)}</blockquote>` +
        `<p>Open the EAS capture site to correct it and submit it again.</p>`
    );
  };

  const onSubmitted = async (payload: unknown) => {
    const e = payload as RecordEvent;
    const form: { notifyEmails?: string | null } | null = await strapi.db
      .query(UID.form)
      .findOne({ where: { slug: e.form.slug, publishedAt: { $notNull: true } }, select: ['notifyEmails'] });
    const to = parseRecipients(form?.notifyEmails);
    await send(
      to,
      `New ${e.form.name} record ${e.reference}`,
      `${e.owner?.username ?? 'Field staff'} submitted record ${e.reference} (${e.form.name}) at ${e.submittedAt ?? e.at}.`,
      `<p>${escapeHtml(e.owner?.username ?? 'Field staff')} submitted record <strong>${escapeHtml(e.reference)}</strong> (${escapeHtml(e.form.name)}) at ${escapeHtml(e.submittedAt ?? e.at)}.</p>`
    );
  };

  return {
    start() {
      if (!(strapi.config.get('plugin::eas') as EasConfig).notifications.enabled) return;
      listeners.push([EVENTS.recordReviewed, onReviewed], [EVENTS.recordSubmitted, onSubmitted]);
      for (const [name, fn] of listeners) strapi.eventHub.on(name, fn);
    },
    stop() {
      for (const [name, fn] of listeners.splice(0)) strapi.eventHub.off(name, fn);
    },
  };
};

export default notificationsService;
