import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { EasConfig } from '../config';
import { UID } from '../constants';
import type { FormDefinition } from '../../../shared/contracts/form';
import { encodeCursor, feedWhere, type FeedPosition } from '../utils/feed-cursor';
import { getService } from '../utils/get-service';
import {
  columnsFor,
  definitionFor,
  repeatRowsFor,
  repeatTablesFor,
  rowFor,
  type Cell,
  type ExportProfile,
  type RecordForRow,
} from '../utils/table-rows';

export interface FeedQuery {
  form: string;
  version?: number;
  /** One state; without it every record handed in (submitted, approved, rejected) — drafts are still on a phone. */
  status?: string;
  since?: Date;
  after?: FeedPosition;
  limit: number;
  profile: ExportProfile;
}

type FeedRow = Omit<RecordForRow, 'photos' | 'signatures'> & {
  id: number;
  updatedAt: string | Date;
  photos?: { side: string; sha256?: string | null; file?: { id: number; redactedAt?: string | null } | null }[];
  signatures?: { slot: string; sha256?: string | null; file?: { id: number; redactedAt?: string | null } | null }[];
};

/** Evidence links in the feed are signed for an hour: a client pulls them right after the page. */
const LINK_TTL = 3600;
const json = (c: Cell) => (c instanceof Date ? c.toISOString() : c);

/**
 * The feed for analysis tools (docs/feed.md): a form's records flattened as the CSV export flattens them (same
 * columns, typed JSON values, repeats as arrays of entries), in (updatedAt, id) order, paged with a cursor, so a
 * client pulls what changed since its last page. Read with an API token; no captured data leaves it that the
 * profile leaves out.
 */
const feedService = ({ strapi }: { strapi: Core.Strapi }) => {
  const settings = (strapi.config.get('plugin::eas') as EasConfig).feed;

  return {
    async page(q: FeedQuery) {
      const version = (await strapi.db.query(UID.formVersion).findOne({
        where: q.version ? { slug: q.form, version: q.version } : { slug: q.form },
        orderBy: { version: 'desc' },
        select: ['id', 'version', 'definition'],
      })) as { id: number; version: number; definition: FormDefinition } | null;
      if (!version)
        throw new errors.NotFoundError(q.version ? `The form ${q.form} has no version ${q.version}` : `No published form "${q.form}"`);
      const definition = definitionFor(version.definition, q.profile);
      const columns = columnsFor(definition);
      const repeats = repeatTablesFor(definition);
      const where: Record<string, unknown> = {
        formSlug: q.form,
        state: q.status ?? { $ne: 'draft' },
        ...(q.version ? { formVersion: { id: version.id } } : {}),
        ...feedWhere({ after: q.after ?? null, since: q.since ?? null, now: new Date(), settleMs: settings.settleMs }),
      };
      const rows = (await strapi.db.query(UID.record).findMany({
        where,
        orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
        limit: q.limit + 1,
        populate: {
          owner: { select: ['username', 'email'] },
          photos: { select: ['side', 'sha256', 'qualityFlags'], populate: { file: { select: ['id', 'redactedAt'] } } },
          signatures: { select: ['slot', 'sha256'], populate: { file: { select: ['id', 'redactedAt'] } } },
        },
      })) as FeedRow[];
      const more = rows.length > q.limit;
      const page = rows.slice(0, q.limit);
      const store = getService(strapi, 'evidence-store');
      const data = page.map((r) => {
        const fileOf = (kind: 'photo' | 'signature', slot: string) =>
          kind === 'photo' ? r.photos?.find((p) => p.side === slot)?.file : r.signatures?.find((s) => s.slot === slot)?.file;
        const cells = rowFor(definition, r, (kind, _ref, slot) => {
          const f = fileOf(kind, slot);
          return f && !f.redactedAt ? store.signedUrl(f.id, LINK_TTL) : null;
        });
        const item: Record<string, unknown> = Object.fromEntries(columns.map((c, i) => [c.key, json(cells[i])]));
        item.updatedAt = new Date(r.updatedAt).toISOString();
        if (repeats.length)
          item.repeats = Object.fromEntries(
            repeats.map((t) => [
              t.repeat.key,
              repeatRowsFor(definition, t, r).map((entry) =>
                Object.fromEntries(t.columns.slice(1).map((c, i) => [c.key, json(entry[i + 1])]))
              ),
            ])
          );
        return item;
      });
      const last = page[page.length - 1];
      return {
        data,
        meta: {
          form: { key: q.form, version: q.version ?? null, columnsOfVersion: version.version },
          profile: q.profile,
          columns,
          // The position after this page: the next page, or — on the last one — where the next sync starts.
          cursor: last ? encodeCursor({ updatedAt: new Date(last.updatedAt), id: last.id }) : q.after ? encodeCursor(q.after) : null,
          more,
        },
      };
    },
  };
};

export default feedService;
