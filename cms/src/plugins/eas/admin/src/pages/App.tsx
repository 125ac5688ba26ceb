import { Page, useAuth } from '@strapi/strapi/admin';
import * as React from 'react';
import { Box, Flex } from '@strapi/design-system';
import { NavLink, Route, Routes } from 'react-router-dom';
import { useT } from '../hooks/useT';
import { PERMISSIONS } from '../pluginId';
import { DashboardPage } from './DashboardPage';

const FormsPage = React.lazy(() => import('./FormsPage').then((m) => ({ default: m.FormsPage })));
const ReviewQueuePage = React.lazy(() => import('./ReviewQueuePage').then((m) => ({ default: m.ReviewQueuePage })));
const RecordReviewPage = React.lazy(() => import('./RecordReviewPage').then((m) => ({ default: m.RecordReviewPage })));
const PeoplePage = React.lazy(() => import('./PeoplePage').then((m) => ({ default: m.PeoplePage })));
const FormBuilderPage = React.lazy(() => import('./FormBuilderPage').then((m) => ({ default: m.FormBuilderPage })));
const ExportsPage = React.lazy(() => import('./ExportsPage').then((m) => ({ default: m.ExportsPage })));
const WebhooksPage = React.lazy(() => import('./WebhooksPage').then((m) => ({ default: m.WebhooksPage })));

/** EAS's own pages, named (Strapi's main menu shows EAS as an icon only). */
const EasNav = () => {
  const t = useT();
  // Pages only some admins may open: their links are shown only to them (the pages check again). Read from the
  // signed-in admin's permissions as they arrive: useRBAC checks once on mount and, mounted before they loaded (a
  // reload on an EAS page), kept saying no.
  const permissions = useAuth('EasNav', (state) => state.permissions);
  const may = (wanted: { action: string }[]) => wanted.every((w) => permissions.some((p) => p.action === w.action));
  const allowedActions = { canExport: may(PERMISSIONS.export), canManage: may(PERMISSIONS.webhooks) };
  const links: [string, string][] = [
    ['', t('nav.dashboard', 'Dashboard')],
    ['records', t('nav.records', 'Records')],
    ['forms', t('nav.forms', 'Forms')],
    ['people', t('nav.people', 'People')],
    ...(allowedActions.canExport ? [['exports', t('nav.exports', 'Exports')] as [string, string]] : []),
    ...(allowedActions.canManage ? [['webhooks', t('nav.webhooks', 'Webhooks')] as [string, string]] : []),
  ];
  return (
    <Box tag="nav" aria-label={t('nav.label', 'EAS')} paddingLeft={10} paddingRight={10} paddingTop={4}>
      <Flex gap={5}>
        {links.map(([to, label]) => (
          <NavLink
            key={to}
            to={`/plugins/eas${to ? `/${to}` : ''}`}
            end={to === ''}
            style={({ isActive }) => ({
              fontWeight: isActive ? 700 : 400,
              textDecoration: isActive ? 'underline' : 'none',
              color: 'inherit',
            })}
          >
            {label}
          </NavLink>
        ))}
      </Flex>
    </Box>
  );
};

/** EAS in the admin (plugins/eas/…): dashboard, review queue and record pages, form builder, people, exports, webhooks. */
export const App = () => (
  <React.Suspense fallback={<Page.Loading />}>
    <EasNav />
    <Routes>
      <Route index element={<DashboardPage />} />
      <Route path="records" element={<ReviewQueuePage />} />
      <Route path="records/:documentId" element={<RecordReviewPage />} />
      <Route path="people" element={<PeoplePage />} />
      <Route path="forms" element={<FormsPage />} />
      <Route path="forms/new" element={<FormBuilderPage />} />
      <Route path="forms/:documentId" element={<FormBuilderPage />} />
      <Route path="exports" element={<ExportsPage />} />
      <Route path="webhooks" element={<WebhooksPage />} />
    </Routes>
  </React.Suspense>
);
