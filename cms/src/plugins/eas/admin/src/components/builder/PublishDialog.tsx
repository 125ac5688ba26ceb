import { Box, Button, Flex, Modal, Typography } from '@strapi/design-system';
import * as React from 'react';
import type { FormDefinition } from '../../../../shared/contracts/form';
import { breakingChanges, formChanges, type BreakingReason, type FormChange } from '../../../../shared/form-changes';
import { useT, type Translate } from '../../hooks/useT';
import { Notice } from '../Notice';

const reasonWords = (r: BreakingReason, t: Translate) =>
  ({
    removed: t('publish.reason.removed', 'it is removed'),
    type: t('publish.reason.type', 'its kind of answer changed'),
    now_required: t('publish.reason.now-required', 'it is now required'),
    new_required: t('publish.reason.new-required', 'it is new and required'),
    options_removed: t('publish.reason.options-removed', 'a choice was removed'),
    narrower: t('publish.reason.narrower', 'its limits are narrower'),
    rule_added: t('publish.reason.rule', 'it has a new check'),
  })[r];

const itemWords = (c: FormChange, t: Translate) => {
  const what =
    c.item === 'field'
      ? t('publish.item.field', 'Question')
      : c.item === 'photo'
        ? t('publish.item.photo', 'Photo')
        : t('publish.item.signature', 'Signature');
  const how =
    c.change === 'added'
      ? t('publish.added', 'added')
      : c.change === 'removed'
        ? t('publish.removed', 'removed')
        : t('publish.changed', 'changed: {settings}', { settings: c.settings.join(', ') });
  return `${what} “${c.label || c.key}” ${how}`;
};

/**
 * Publish: says which version it creates and what changed since the last one, and warns when answers given with
 * that version would not be accepted now (drafts already on phones stay on their version and are still accepted).
 */
export const PublishDialog = ({
  open,
  onOpenChange,
  draft,
  published,
  version,
  busy,
  onPublish,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  draft: FormDefinition;
  published: FormDefinition | null;
  version: number;
  busy: boolean;
  onPublish: () => void;
}) => {
  const t = useT();
  const changes = formChanges(published, draft);
  const breaking = breakingChanges(changes);
  const next = changes.same ? version : version + 1;
  return (
    <Modal.Root open={open} onOpenChange={onOpenChange}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>
            {changes.same ? t('publish.same.title', 'Nothing to publish') : t('publish.title', 'Publish version {n}', { n: next })}
          </Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4} data-testid="eas-publish-summary">
            {!published ? (
              <Typography>{t('publish.first', 'Creates version 1: field staff see the form and can capture with it.')}</Typography>
            ) : changes.same ? (
              <Typography>
                {t('publish.same', 'The form is as in version {n}: publishing creates no new version.', { n: version })}
              </Typography>
            ) : (
              <>
                <Typography>
                  {t(
                    'publish.creates',
                    'Creates version {n}. Field staff get it the next time their phone is online; records already captured keep version {old}.',
                    {
                      n: next,
                      old: version,
                    }
                  )}
                </Typography>
                <Box tag="ul" paddingLeft={4}>
                  {[
                    ...changes.form.map((s) => t('publish.form-setting', 'Form setting changed: {setting}', { setting: s })),
                    ...changes.items.map((c) => itemWords(c, t)),
                  ].map((line) => (
                    <li key={line}>
                      <Typography>{line}</Typography>
                    </li>
                  ))}
                </Box>
              </>
            )}
            {breaking.length ? (
              <Notice
                variant="warning"
                title={t('publish.warning', 'Answers given with version {n} would not be accepted now', { n: version })}
                testId="eas-publish-warning"
              >
                <Box tag="ul" paddingLeft={4}>
                  {breaking.map((c) => (
                    <li key={`${c.item}-${c.key}`}>
                      <Typography>
                        “{c.label || c.key}”: {c.breaking.map((r) => reasonWords(r, t)).join(', ')}
                      </Typography>
                    </li>
                  ))}
                </Box>
                <Typography variant="pi">
                  {t(
                    'publish.warning.drafts',
                    'Drafts already on phones stay on version {n} and are still accepted with its rules; only new records follow version {next}. Exports and the review page then show records of both versions.',
                    { n: version, next }
                  )}
                </Typography>
              </Notice>
            ) : null}
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('publish.cancel', 'Cancel')}</Button>
          </Modal.Close>
          <Button onClick={onPublish} loading={busy}>
            {changes.same ? t('publish.again', 'Publish anyway') : t('publish.confirm', 'Publish version {n}', { n: next })}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
