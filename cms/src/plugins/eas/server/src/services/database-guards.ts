import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../constants';

/** PostgreSQL advisory lock key that serialises the guards' DDL when several instances boot at once. */
const DDL_LOCK = 0x45415342;

interface Guard {
  table: string;
  /** What the trigger refuses: UPDATE and DELETE, DELETE only, or UPDATE only. */
  refuse: 'update-delete' | 'delete' | 'update';
  /** SQL over OLD (and NEW for updates) that must hold for the change to be refused (null: always). */
  when: string | null;
  why: string;
}

/**
 * Database triggers that keep evidence whatever writes to the database — EAS, another plugin, Strapi's data transfer,
 * a console — created at every boot (a schema change can recreate a SQLite table and drop its triggers):
 * - the audit log and its checkpoints: no UPDATE, DELETE or TRUNCATE (INSERT only);
 * - records, form versions, the owner and form-version links of records: never deleted;
 * - photos, signatures, their files and links: not deleted once their record is submitted, approved or rejected
 *   (a draft's photo may be replaced).
 * A database owner can drop triggers; the audit chain's per-entry signatures and the integrity check are what make
 * such an edit visible.
 */
const databaseGuardsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const table = (uid: string) => strapi.db.metadata.get(uid).tableName;
  const join = (uid: string, field: string) => {
    const t = (
      strapi.db.metadata.get(uid).attributes[field] as {
        joinTable: { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string } };
      }
    ).joinTable;
    return { name: t.name, column: t.joinColumn.name, inverse: t.inverseJoinColumn.name };
  };

  const guards = (): Guard[] => {
    const records = table(UID.record);
    const locked = `${records}.state NOT IN ('draft', 'rejected')`;
    const photoRecord = join(UID.photo, 'record');
    const signatureRecord = join(UID.signature, 'record');
    const links = [join(UID.photo, 'file'), join(UID.photo, 'thumbnail'), join(UID.signature, 'file')];
    const mediaLocked = (link: { name: string; column: string; inverse: string }, id: string) =>
      `EXISTS (SELECT 1 FROM ${link.name} l JOIN ${records} ON ${records}.id = l.${link.inverse} WHERE l.${link.column} = ${id} AND ${locked})`;
    const photoLocked = (id: string) => mediaLocked(photoRecord, id);
    const signatureLocked = (id: string) => mediaLocked(signatureRecord, id);
    const fileLocked = links
      .map(
        (l, i) =>
          `EXISTS (SELECT 1 FROM ${l.name} f WHERE f.${l.inverse} = OLD.id AND ${i < 2 ? photoLocked(`f.${l.column}`) : signatureLocked(`f.${l.column}`)})`
      )
      .join(' OR ');
    return [
      { table: table(UID.auditEntry), refuse: 'update-delete', when: null, why: 'the audit log is append-only' },
      { table: table(UID.auditCheckpoint), refuse: 'update-delete', when: null, why: 'audit checkpoints are append-only' },
      // A note's text may only be removed (a redaction); the chain keeps its hash.
      { table: table(UID.auditNote), refuse: 'delete', when: null, why: 'audit notes are kept' },
      { table: table(UID.auditNote), refuse: 'update', when: 'NEW.text IS NOT NULL', why: 'an audit note can only be redacted' },
      { table: table(UID.record), refuse: 'delete', when: null, why: 'records are never deleted' },
      { table: table(UID.formVersion), refuse: 'delete', when: null, why: 'form versions are frozen' },
      { table: join(UID.record, 'owner').name, refuse: 'delete', when: null, why: 'a record keeps its owner' },
      { table: join(UID.record, 'formVersion').name, refuse: 'delete', when: null, why: 'a record keeps its form version' },
      { table: table(UID.photo), refuse: 'delete', when: photoLocked('OLD.id'), why: 'the photos of a submitted record are kept' },
      {
        table: table(UID.signature),
        refuse: 'delete',
        when: signatureLocked('OLD.id'),
        why: 'the signatures of a submitted record are kept',
      },
      {
        table: photoRecord.name,
        refuse: 'delete',
        when: `EXISTS (SELECT 1 FROM ${records} WHERE ${records}.id = OLD.${photoRecord.inverse} AND ${locked})`,
        why: 'the photos of a submitted record are kept',
      },
      {
        table: signatureRecord.name,
        refuse: 'delete',
        when: `EXISTS (SELECT 1 FROM ${records} WHERE ${records}.id = OLD.${signatureRecord.inverse} AND ${locked})`,
        why: 'the signatures of a submitted record are kept',
      },
      ...links.map(
        (l, i): Guard => ({
          table: l.name,
          refuse: 'delete',
          when: i < 2 ? photoLocked(`OLD.${l.column}`) : signatureLocked(`OLD.${l.column}`),
          why: 'evidence files of a submitted record are kept',
        })
      ),
      { table: table(UID.evidenceFile), refuse: 'delete', when: fileLocked, why: 'evidence files of a submitted record are kept' },
    ];
  };

  const postgres = async (list: Guard[]) => {
    await strapi.db.connection.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(?)', [DDL_LOCK]);
      await trx.raw(`CREATE OR REPLACE FUNCTION eas_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'EAS: % on % is refused: %', TG_OP, TG_TABLE_NAME, TG_ARGV[0] USING ERRCODE = '42501'; END $$`);
      for (const g of list) {
        const events = { 'update-delete': 'UPDATE OR DELETE', delete: 'DELETE', update: 'UPDATE' }[g.refuse];
        const trigger = g.refuse === 'update' ? 'eas_guard_update' : 'eas_guard';
        // Trigger arguments are literals (DDL takes no parameters); the reasons are ours, without quotes.
        const why = `'${g.why}'`;
        if (g.when) {
          // A trigger's WHEN may not run subqueries in PostgreSQL: a conditional guard checks in a function of its own.
          const fn = `${trigger}_${g.table}`;
          const pass = g.refuse === 'update' ? 'NEW' : 'OLD';
          await trx.raw(`CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF ${g.when} THEN RAISE EXCEPTION 'EAS: % on % is refused: %', TG_OP, TG_TABLE_NAME, ${why} USING ERRCODE = '42501'; END IF; RETURN ${pass}; END $$`);
          await trx.raw(`CREATE OR REPLACE TRIGGER ${trigger} BEFORE ${events} ON ?? FOR EACH ROW EXECUTE FUNCTION ${fn}()`, [g.table]);
        } else {
          await trx.raw(
            `CREATE OR REPLACE TRIGGER ${trigger} BEFORE ${events} ON ?? FOR EACH ROW EXECUTE FUNCTION eas_refuse_change(${why})`,
            [g.table]
          );
        }
        await trx.raw(
          `CREATE OR REPLACE TRIGGER eas_no_truncate BEFORE TRUNCATE ON ?? FOR EACH STATEMENT EXECUTE FUNCTION eas_refuse_change(${why})`,
          [g.table]
        );
      }
    });
  };

  const sqlite = async (list: Guard[]) => {
    const knex = strapi.db.connection;
    for (const g of list) {
      const events = { 'update-delete': ['UPDATE', 'DELETE'], delete: ['DELETE'], update: ['UPDATE'] }[g.refuse];
      for (const event of events) {
        const name = `${g.table}_eas_no_${event.toLowerCase()}`;
        await knex.raw(
          `CREATE TRIGGER IF NOT EXISTS ${name} BEFORE ${event} ON ${g.table} ${g.when ? `WHEN ${g.when}` : ''} BEGIN SELECT RAISE(ABORT, 'EAS: ${event} on ${g.table} is refused: ${g.why}'); END`
        );
      }
    }
  };

  const refuseIfOwner = async (where: unknown) => {
    const users: { id: number }[] = await strapi.db.query(UID.user).findMany({ where: where as Record<string, unknown>, select: ['id'] });
    if (!users.length) return;
    const owned = await strapi.db.query(UID.record).count({ where: { owner: { id: { $in: users.map((u) => u.id) } } } });
    if (owned)
      throw new errors.ApplicationError(
        'This account has captured records, so it cannot be deleted: block it instead (its records keep their author).'
      );
  };

  return {
    async install() {
      const list = guards();
      if (strapi.db.dialect.client === 'postgres') await postgres(list);
      else await sqlite(list);
    },

    /**
     * Refuses (400) to delete users-permissions users who own records. Also called by users-permissions' own `remove`
     * (cms/src/extensions) before it ends the user's sessions, so a refused deletion does not sign the worker out.
     */
    refuseIfOwner,

    /**
     * Deleting a users-permissions user who owns records would unlink them from their author: refused with a 400
     * (block the account instead), also when the delete comes from the users-permissions API or an API token.
     */
    protectRecordOwners() {
      strapi.db.lifecycles.subscribe({
        models: [UID.user],
        beforeDelete: (event) => refuseIfOwner((event.params as { where: unknown }).where),
        beforeDeleteMany: (event) => refuseIfOwner((event.params as { where: unknown }).where),
      });
    },
  };
};

export default databaseGuardsService;
