import type { Core } from '@strapi/strapi';
import type { EasConfig } from '../config';
import { getService } from '../utils/get-service';

/**
 * Photos and signatures are personal data: bytes of an upload that failed (its record never pointed at them) must not
 * linger. Normally a failed upload removes its own files at once; when that cleanup cannot reach the database (a
 * database restart) the files stay unlinked, and this sweep removes them once they are older than
 * `images.orphanMinutes` (EAS_ORPHAN_MINUTES, default 60) — long after any upload in progress has finished.
 * Runs in every instance; removing a file twice is harmless.
 */
const orphanSweeperService = ({ strapi }: { strapi: Core.Strapi }) => {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  const minutes = () => (strapi.config.get('plugin::eas') as EasConfig).images.orphanMinutes;

  const sweep = async (): Promise<number> => {
    if (running) return 0;
    running = true;
    try {
      const media = getService(strapi, 'evidence-store');
      const orphans = await media.findOrphans(new Date(Date.now() - minutes() * 60_000));
      await media.remove(orphans);
      if (orphans.length) strapi.log.info(`[eas] removed ${orphans.length} evidence file(s) left behind by failed uploads`);
      return orphans.length;
    } catch (err) {
      strapi.log.warn(`[eas] orphaned evidence sweep failed, will retry: ${(err as Error).message}`);
      return 0;
    } finally {
      running = false;
    }
  };

  return {
    sweep,
    start() {
      // Half the age limit, at most every 30 minutes.
      const every = Math.min((minutes() * 60_000) / 2, 30 * 60_000);
      timer = setInterval(() => void sweep(), every);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
};

export default orphanSweeperService;
