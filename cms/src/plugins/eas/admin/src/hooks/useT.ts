import * as React from 'react';
import { useIntl } from 'react-intl';
import { getTranslation } from '../pluginId';

export type Translate = (id: string, defaultMessage: string, values?: Record<string, string | number>) => string;

/** The plugin's strings (translations/en.json) by their key without the plugin prefix. */
export const useT = (): Translate => {
  const { formatMessage } = useIntl();
  return React.useCallback<Translate>(
    (id, defaultMessage, values) => formatMessage({ id: getTranslation(id), defaultMessage }, values),
    [formatMessage]
  );
};
