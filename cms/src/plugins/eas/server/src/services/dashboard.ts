import type { Core } from '@strapi/strapi';
import type { Dashboard } from '../../../shared/contracts/dashboard';
import type { RecordStatus } from '../../../shared/contracts/record';
import { RECORD_STATES, UID } from '../constants';
import { getService } from '../utils/get-service';
import { toRecordEvent, type RecordRow } from '../utils/record-view';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const emptyByStatus = () => Object.fromEntries(RECORD_STATES.map((s) => [s, 0])) as Record<RecordStatus, number>;

/** Buckets timestamps into `n` consecutive slots of `size` ms ending with the slot that contains `now`. */
export const bucket = (times: number[], now: number, size: number, n: number) => {
  const end = Math.floor(now / size) * size + size;
  const start = end - n * size;
  const counts = new Array<number>(n).fill(0);
  for (const t of times) if (t >= start && t < end) counts[Math.floor((t - start) / size)]++;
  return counts.map((count, i) => ({ at: new Date(start + i * size).toISOString(), count }));
};

/** Numbers for the live dashboard (the socket keeps them current). */
const dashboardService = ({ strapi }: { strapi: Core.Strapi }) => ({
  async get(): Promise<Dashboard> {
    const knex = strapi.db.connection;
    const now = Date.now();
    const startOfDay = Math.floor(now / DAY) * DAY;
    const weekAgo = now - 7 * DAY;

    const byStatusRows: { state: RecordStatus; form_slug: string; n: number | string }[] = await knex('eas_records')
      .select('state', 'form_slug')
      .count('* as n')
      .groupBy('state', 'form_slug');
    const counters = { today: 0, week: 0, total: 0, byStatus: emptyByStatus() };
    const perFormMap = new Map<string, Dashboard['perForm'][number]>();
    for (const row of byStatusRows) {
      const n = Number(row.n);
      counters.total += n;
      counters.byStatus[row.state] = (counters.byStatus[row.state] ?? 0) + n;
      const entry = perFormMap.get(row.form_slug) ?? { slug: row.form_slug, name: row.form_slug, total: 0, byStatus: emptyByStatus() };
      entry.total += n;
      entry.byStatus[row.state] += n;
      perFormMap.set(row.form_slug, entry);
    }
    const names: { slug: string; name: string }[] = await strapi.db
      .query(UID.formVersion)
      .findMany({ select: ['slug', 'name'], orderBy: { version: 'asc' } });
    for (const v of names) if (perFormMap.has(v.slug)) perFormMap.get(v.slug)!.name = v.name;

    const recent: { submitted_at: string | Date; username: string | null }[] = await knex('eas_records as r')
      .leftJoin('eas_records_owner_lnk as l', 'l.record_id', 'r.id')
      .leftJoin('up_users as u', 'u.id', 'l.user_id')
      .select('r.submitted_at', 'u.username')
      .where('r.submitted_at', '>=', new Date(now - 14 * DAY));
    const times = recent.map((r) => new Date(r.submitted_at).getTime());
    counters.today = times.filter((t) => t >= startOfDay).length;
    counters.week = times.filter((t) => t >= weekAgo).length;

    const perUserRows: { username: string | null; n: number | string }[] = await knex('eas_records as r')
      .leftJoin('eas_records_owner_lnk as l', 'l.record_id', 'r.id')
      .leftJoin('up_users as u', 'u.id', 'l.user_id')
      .select('u.username')
      .count('* as n')
      .groupBy('u.username');
    const todayByUser = new Map<string, number>();
    for (const r of recent)
      if (new Date(r.submitted_at).getTime() >= startOfDay)
        todayByUser.set(r.username ?? '—', (todayByUser.get(r.username ?? '—') ?? 0) + 1);
    const perUser = perUserRows
      .map((r) => ({ username: r.username ?? '—', total: Number(r.n), submittedToday: todayByUser.get(r.username ?? '—') ?? 0 }))
      .sort((a, b) => b.total - a.total);

    const latestRows = (await strapi.db.query(UID.record).findMany({
      where: { submittedAt: { $notNull: true } },
      populate: {
        formVersion: true,
        owner: { select: ['id', 'username'] },
        photos: { populate: { thumbnail: { select: ['id', 'redactedAt'] } } },
      },
      orderBy: [{ submittedAt: 'desc' }, { id: 'desc' }],
      limit: 20,
    })) as RecordRow[];
    const sign = (id: number) => getService(strapi, 'evidence-store').signedUrl(id);

    const [formsTotal, formsPublished] = await Promise.all([
      strapi.documents(UID.form).count({ status: 'draft' }),
      strapi.documents(UID.form).count({ status: 'published' }),
    ]);
    return {
      integrity: await getService(strapi, 'integrity').summary(),
      forms: { published: formsPublished, total: formsTotal },
      counters,
      perForm: [...perFormMap.values()].sort((a, b) => b.total - a.total),
      perUser,
      latest: latestRows.map((row) => {
        const { reviewComment: _omit, ...event } = toRecordEvent(row, sign);
        return event;
      }),
      series: { hourly: bucket(times, now, HOUR, 24), daily: bucket(times, now, DAY, 14) },
      generatedAt: new Date(now).toISOString(),
    };
  },
});

export default dashboardService;
