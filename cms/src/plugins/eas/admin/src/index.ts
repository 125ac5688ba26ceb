import { ChartPie } from '@strapi/icons';
import { ExportPdfAction, ExportPdfsBulkAction } from './components/ExportActions';
import { RecordPanel } from './components/RecordPanel';
import { PERMISSIONS, PLUGIN_ID, getTranslation } from './pluginId';

type TranslationModule = { default: Record<string, string> };

export default {
  register(app: any) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: ChartPie,
      intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'EAS' },
      permissions: PERMISSIONS.read,
      Component: () => import('./pages/DashboardPage').then((mod) => ({ default: mod.DashboardPage })),
    });
    app.registerPlugin({ id: PLUGIN_ID, name: PLUGIN_ID });
  },

  bootstrap(app: any) {
    const cm = app.getPlugin('content-manager').apis;
    cm.addEditViewSidePanel([RecordPanel]);
    cm.addDocumentAction((actions: unknown[]) => [...actions, ExportPdfAction]);
    cm.addBulkAction((actions: unknown[]) => [...actions, ExportPdfsBulkAction]);
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = (await import(`./translations/${locale}.json`)) as TranslationModule;
          const prefixed = Object.fromEntries(Object.entries(data).map(([k, v]) => [getTranslation(k), v]));
          return { data: prefixed, locale };
        } catch {
          return { data: {}, locale };
        }
      })
    );
  },
};
