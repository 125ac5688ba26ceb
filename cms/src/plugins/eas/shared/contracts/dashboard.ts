import type { RecordEvent } from '../events';
import type { RecordStatus } from './record';

/** GET /eas/dashboard: the dashboard's first picture; socket events keep it current. */
export interface IntegritySummary {
  /** ok: the last sweep found nothing; altered: it found altered records or audit-chain breaks; unchecked: no sweep yet. */
  status: 'ok' | 'altered' | 'unchecked';
  altered: number;
  chainBreaks: number;
  checkedAt: string | null;
}

export interface Dashboard {
  /** What the last integrity sweep found (counts only). */
  integrity: IntegritySummary;
  forms: { published: number; total: number };
  counters: { today: number; week: number; total: number; byStatus: Record<RecordStatus, number> };
  perForm: { slug: string; name: string; total: number; byStatus: Record<RecordStatus, number> }[];
  perUser: { username: string; total: number; submittedToday: number }[];
  latest: RecordEvent[];
  /** Submissions per hour over the last 24 h and per day over the last 14 days (oldest first, UTC). */
  series: { hourly: { at: string; count: number }[]; daily: { at: string; count: number }[] };
  generatedAt: string;
}
