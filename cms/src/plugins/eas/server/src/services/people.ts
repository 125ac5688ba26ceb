import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { EDITOR_ROLE, FIELD_STAFF_ROLE, UID } from '../constants';
import type { AuditActor } from '../utils/audit-chain';
import type { AuditAction } from './audit';
import { getService } from '../utils/get-service';

export interface FieldStaffRow {
  id: number;
  documentId: string;
  username: string;
  email: string;
  blocked: boolean;
  createdAt: string;
  /** When the person's phone last sent something (a record created, changed or submitted); null: never. */
  lastSync: string | null;
  records: number;
  waiting: number;
}

const taken = (field: 'username' | 'email', value: string) =>
  new errors.ValidationError(`${field}: "${value}" is already used by another account`, {
    errors: [{ path: [field], message: `"${value}" is already used by another account` }],
  });

/** A password for a first sign-in: 16 characters from a 62-letter alphabet (about 95 bits). */
const newPassword = () => {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  return [...randomBytes(16)].map((b) => alphabet[b % alphabet.length]).join('');
};

/**
 * EAS → People: field-staff accounts (the Field staff role preset, confirmed, blockable) and editors (admin users
 * with the EAS editor role, invited by a registration link). Every change goes into the audit chain.
 */
const peopleService = ({ strapi }: { strapi: Core.Strapi }) => {
  const users = () => strapi.db.query(UID.user);
  const fieldStaffRole = async (): Promise<number> => {
    const role: { id: number } | null = await strapi.db.query(UID.role).findOne({ where: { type: FIELD_STAFF_ROLE.type }, select: ['id'] });
    if (!role) throw new Error('The Field staff role is missing (it is created on first boot)');
    return role.id;
  };
  const audit = (action: AuditAction, actor: AuditActor, details: Record<string, unknown>) =>
    getService(strapi, 'audit').append({ action, actor, details });

  return {
    async listFieldStaff(): Promise<FieldStaffRow[]> {
      const role = await fieldStaffRole();
      const rows: { id: number; documentId: string; username: string; email: string; blocked: boolean | null; createdAt: string }[] =
        await users().findMany({
          where: { role: { id: role } },
          select: ['id', 'documentId', 'username', 'email', 'blocked', 'createdAt'],
          orderBy: { username: 'asc' },
        });
      return Promise.all(
        rows.map(async (u) => {
          const [records, waiting, last] = await Promise.all([
            strapi.db.query(UID.record).count({ where: { owner: { id: u.id } } }),
            strapi.db.query(UID.record).count({ where: { owner: { id: u.id }, state: 'submitted' } }),
            strapi.db.query(UID.record).findOne({ where: { owner: { id: u.id } }, orderBy: { updatedAt: 'desc' }, select: ['updatedAt'] }),
          ]);
          return {
            id: u.id,
            documentId: u.documentId,
            username: u.username,
            email: u.email,
            blocked: Boolean(u.blocked),
            createdAt: new Date(u.createdAt).toISOString(),
            lastSync: last ? new Date(last.updatedAt).toISOString() : null,
            records,
            waiting,
          };
        })
      );
    },

    /** A field-staff account; the password is generated when none is given (and then returned once). */
    async addFieldStaff(input: { username: string; email: string; password?: string }, actor: AuditActor) {
      const username = input.username.trim();
      const email = input.email.trim().toLowerCase();
      if (await users().findOne({ where: { username: { $eqi: username } }, select: ['id'] })) throw taken('username', username);
      if (await users().findOne({ where: { email: { $eqi: email } }, select: ['id'] })) throw taken('email', email);
      const password = input.password ?? newPassword();
      const created = (await strapi.documents(UID.user as 'plugin::users-permissions.user').create({
        data: { username, email, password, provider: 'local', confirmed: true, blocked: false, role: await fieldStaffRole() } as never,
      })) as { id: number; documentId: string };
      await audit('user.created', actor, { user: created.id, username, role: FIELD_STAFF_ROLE.type });
      return { id: created.id, documentId: created.documentId, username, email, ...(input.password ? {} : { password }) };
    },

    /** Blocks (no sign-in, no refresh, live sockets closed) or unblocks a field-staff account. */
    async setBlocked(id: number, blocked: boolean, actor: AuditActor) {
      const role = await fieldStaffRole();
      const user: { id: number; documentId: string; username: string } | null = await users().findOne({
        where: { id, role: { id: role } },
        select: ['id', 'documentId', 'username'],
      });
      if (!user) throw new errors.NotFoundError('No such field-staff account');
      await strapi
        .documents(UID.user as 'plugin::users-permissions.user')
        .update({ documentId: user.documentId, data: { blocked } as never });
      await audit(blocked ? 'user.blocked' : 'user.unblocked', actor, { user: user.id, username: user.username });
      return { id: user.id, username: user.username, blocked };
    },

    /** An admin user with the EAS editor role, and the link they register with (shown to whoever invites them). */
    async inviteEditor(input: { firstname: string; lastname?: string; email: string }, actor: AuditActor) {
      const email = input.email.trim().toLowerCase();
      if (await strapi.db.query('admin::user').findOne({ where: { email: { $eqi: email } }, select: ['id'] })) throw taken('email', email);
      const role: { id: number } | null = await strapi.db
        .query('admin::role')
        .findOne({ where: { name: EDITOR_ROLE.name }, select: ['id'] });
      if (!role) throw new Error('The EAS editor role is missing (it is created on first boot)');
      const user = (await strapi.service('admin::user').create({
        firstname: input.firstname.trim(),
        lastname: input.lastname?.trim() || null,
        email,
        roles: [role.id],
        isActive: false,
      })) as { id: number; registrationToken: string };
      await audit('admin.invited', actor, { admin: user.id, email, role: EDITOR_ROLE.name });
      return { id: user.id, email, registrationToken: user.registrationToken };
    },
  };
};

export default peopleService;
