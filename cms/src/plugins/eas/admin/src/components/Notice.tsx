import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { CheckCircle, Information, WarningCircle } from '@strapi/icons';

export type NoticeVariant = 'success' | 'danger' | 'warning' | 'neutral';

const LOOK = {
  success: { background: 'success100', border: 'success200', icon: 'success600', Icon: CheckCircle },
  danger: { background: 'danger100', border: 'danger200', icon: 'danger600', Icon: WarningCircle },
  warning: { background: 'warning100', border: 'warning200', icon: 'warning600', Icon: WarningCircle },
  neutral: { background: 'neutral100', border: 'neutral200', icon: 'neutral600', Icon: Information },
} as const;

interface NoticeProps {
  variant: NoticeVariant;
  title: string;
  children?: React.ReactNode;
  testId?: string;
}

/**
 * A status callout that stays on screen: the Design System's Alert always carries a close button, and the state of
 * a record's custody is not something to dismiss. Danger notices are announced (role="alert"), the others politely.
 */
export const Notice = ({ variant, title, children, testId }: NoticeProps) => {
  const { background, border, icon, Icon } = LOOK[variant];
  return (
    <Box
      background={background}
      borderColor={border}
      hasRadius
      padding={4}
      role={variant === 'danger' ? 'alert' : 'status'}
      data-testid={testId}
      data-variant={variant}
    >
      <Flex gap={3} alignItems="flex-start">
        <Icon fill={icon} width="2rem" height="2rem" aria-hidden style={{ flexShrink: 0 }} />
        <Flex direction="column" alignItems="stretch" gap={1}>
          <Typography fontWeight="bold" textColor="neutral800">
            {title}
          </Typography>
          {children}
        </Flex>
      </Flex>
    </Box>
  );
};
