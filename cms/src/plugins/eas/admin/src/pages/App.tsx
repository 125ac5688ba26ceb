import { Page } from '@strapi/strapi/admin';
import * as React from 'react';
import { Route, Routes } from 'react-router-dom';
import { DashboardPage } from './DashboardPage';

const FormsPage = React.lazy(() => import('./FormsPage').then((m) => ({ default: m.FormsPage })));
const ReviewQueuePage = React.lazy(() => import('./ReviewQueuePage').then((m) => ({ default: m.ReviewQueuePage })));
const RecordReviewPage = React.lazy(() => import('./RecordReviewPage').then((m) => ({ default: m.RecordReviewPage })));
const FormBuilderPage = React.lazy(() => import('./FormBuilderPage').then((m) => ({ default: m.FormBuilderPage })));

/** EAS in the admin (plugins/eas/…): the dashboard, the review queue and pages (records), the form builder (forms). */
export const App = () => (
  <React.Suspense fallback={<Page.Loading />}>
    <Routes>
      <Route index element={<DashboardPage />} />
      <Route path="records" element={<ReviewQueuePage />} />
      <Route path="records/:documentId" element={<RecordReviewPage />} />
      <Route path="forms" element={<FormsPage />} />
      <Route path="forms/new" element={<FormBuilderPage />} />
      <Route path="forms/:documentId" element={<FormBuilderPage />} />
    </Routes>
  </React.Suspense>
);
