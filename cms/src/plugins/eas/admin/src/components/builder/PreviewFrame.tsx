import { Box, Field, Flex, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import * as React from 'react';
import type { FormDefinition } from '../../../../shared/contracts/form';
import { useT } from '../../hooks/useT';

/**
 * The live phone preview: the capture site's own page /preview/ in a phone-sized frame, sent the draft on every
 * change (site/src/components/form-preview.ts). One renderer and one validator for the phone and the preview.
 */
export const PreviewFrame = ({ definition }: { definition: FormDefinition }) => {
  const t = useT();
  const frame = React.useRef<HTMLIFrameElement>(null);
  // Bumped each time the preview page (re)loaded and said it is ready: the draft is sent again then.
  const [ready, setReady] = React.useState(0);
  const languages = definition.languages?.length ? [definition.defaultLanguage ?? 'en', ...definition.languages] : [];
  const [language, setLanguage] = React.useState<string | null>(null);
  const shown = language && languages.includes(language) ? language : null;
  const ownLanguage = languages[0] ?? null;

  React.useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      if (e.origin === window.location.origin && e.source === frame.current?.contentWindow && e.data?.type === 'eas:preview-ready')
        setReady((n) => n + 1);
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, []);

  // Sent after each "ready" and each load of the frame (module scripts have run by then, so a "ready" posted
  // before this page listened is not missed), and on every change of the draft.
  React.useEffect(() => {
    if (!ready) return;
    const timer = window.setTimeout(
      () =>
        frame.current?.contentWindow?.postMessage(
          { type: 'eas:preview', definition, language: shown === ownLanguage ? null : shown },
          window.location.origin
        ),
      120
    );
    return () => window.clearTimeout(timer);
  }, [ready, definition, shown, ownLanguage]);

  return (
    <Flex direction="column" alignItems="stretch" gap={3} data-testid="eas-preview">
      <Flex justifyContent="space-between" alignItems="flex-end" gap={3}>
        <Typography variant="delta" tag="h2">
          {t('builder.preview', 'Phone preview')}
        </Typography>
        {languages.length ? (
          <Box width="12rem">
            <Field.Root name="preview-language">
              <Field.Label>{t('builder.preview.language', 'Language')}</Field.Label>
              <SingleSelect value={shown ?? languages[0]} onChange={(v: string | number) => setLanguage(String(v))}>
                {languages.map((l) => (
                  <SingleSelectOption key={l} value={l}>
                    {l}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
          </Box>
        ) : null}
      </Flex>
      <Typography variant="pi" textColor="neutral600">
        {t(
          'builder.preview.hint',
          'Type answers to try the form: errors and conditional questions behave as on the phone. Nothing is saved.'
        )}
      </Typography>
      <Box
        hasRadius
        shadow="tableShadow"
        overflow="hidden"
        style={{ border: '10px solid #212134', borderRadius: 28, width: 390, maxWidth: '100%' }}
      >
        <iframe
          ref={frame}
          src="/preview/"
          onLoad={() => setReady((n) => n + 1)}
          title={t('builder.preview.frame', 'Phone preview of the form')}
          style={{ width: '100%', height: 720, border: 0, display: 'block', background: '#fff' }}
        />
      </Box>
    </Flex>
  );
};
