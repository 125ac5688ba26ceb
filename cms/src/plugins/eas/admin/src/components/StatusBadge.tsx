import { Badge } from '@strapi/design-system';
import * as React from 'react';

export type StatusTone = 'success' | 'danger' | 'neutral';

/**
 * A status as a badge whose text keeps 4.5:1. A Design System variant paints {variant}700 on {variant}200, which is
 * 3.9:1 for danger (and less for warning), so danger is drawn with its own colours and there is no warning tone.
 */
export const StatusBadge = ({ tone, children }: { tone: StatusTone; children: React.ReactNode }) =>
  tone === 'success' ? (
    <Badge variant="success">{children}</Badge>
  ) : (
    <Badge textColor={tone === 'danger' ? 'danger700' : 'neutral700'} backgroundColor={tone === 'danger' ? 'danger100' : 'neutral150'}>
      {children}
    </Badge>
  );
