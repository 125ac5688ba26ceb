import type { Core } from '@strapi/strapi';
import { RECORD_STATES, UID, type RecordState } from '../constants';

export interface Overview {
  forms: { published: number; total: number };
  records: { total: number; byState: Record<RecordState, number> };
}

/** Counts for the admin home page (the live dashboard builds on these). */
const overviewService = ({ strapi }: { strapi: Core.Strapi }) => ({
  async get(): Promise<Overview> {
    const records = strapi.db.query(UID.record);
    const byState = Object.fromEntries(
      await Promise.all(RECORD_STATES.map(async (state) => [state, await records.count({ where: { state } })]))
    ) as Record<RecordState, number>;
    const [total, formsTotal, formsPublished] = await Promise.all([
      records.count(),
      strapi.documents(UID.form).count({ status: 'draft' }),
      strapi.documents(UID.form).count({ status: 'published' }),
    ]);
    return { forms: { published: formsPublished, total: formsTotal }, records: { total, byState } };
  },
});

export default overviewService;
