import { ChartPie } from '@strapi/icons';
import { ExportPdfAction, ExportPdfsBulkAction } from './components/ExportActions';
import { RecordPanel } from './components/RecordPanel';
import { PERMISSIONS, PLUGIN_ID, getTranslation } from './pluginId';

type TranslationModule = { default: Record<string, string> };

/** The parts of Strapi's admin app (StrapiApp) this plugin uses; its own type is not exported for plugins. */
interface AdminApp {
  addMenuLink(link: Record<string, unknown>): void;
  widgets: { register(widget: Record<string, unknown>): void };
  registerPlugin(plugin: { id: string; name: string }): void;
  getPlugin(id: 'content-manager'): {
    apis: {
      addEditViewSidePanel(panels: unknown[]): void;
      addDocumentAction(fn: (actions: unknown[]) => unknown[]): void;
      addBulkAction(fn: (actions: unknown[]) => unknown[]): void;
    };
  };
}

export default {
  register(app: AdminApp) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: ChartPie,
      intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'EAS' },
      permissions: PERMISSIONS.read,
      Component: () => import('./pages/App').then((mod) => ({ default: mod.App })),
    });
    // Editors who open the admin's home see the latest submissions there, one click from the EAS dashboard.
    app.widgets.register({
      icon: ChartPie,
      title: { id: getTranslation('widget.title'), defaultMessage: 'Latest submissions (EAS)' },
      component: () => import('./components/LatestWidget').then((mod) => mod.LatestWidget),
      pluginId: PLUGIN_ID,
      id: 'latest-submissions',
      permissions: PERMISSIONS.read,
      link: { label: { id: getTranslation('widget.link'), defaultMessage: 'Open the EAS dashboard' }, href: `/plugins/${PLUGIN_ID}` },
    });
    app.registerPlugin({ id: PLUGIN_ID, name: PLUGIN_ID });
  },

  bootstrap(app: AdminApp) {
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
