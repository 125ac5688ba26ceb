import { Badge, Box, Button, Flex, Typography } from '@strapi/design-system';
import { ArrowLeft, Check } from '@strapi/icons';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import * as React from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { FieldDefinition, FieldType, FormDefinition } from '../../../shared/contracts/form';
import { validateFormDefinition, type DefinitionIssue } from '../../../shared/validation/form-definition';
import { CONTAINER_TYPES } from '../../../shared/validation/form-structure';
import { insertionPoint, keyFromLabel, moveField, newField, newForm, removeField, tidyDefinition } from '../builder/model';
import { FieldList } from '../components/builder/FieldList';
import { FieldSettings } from '../components/builder/FieldSettings';
import { FormSettings, PdfSettings, PhotoSettings, Section, SignatureSettings } from '../components/builder/FormSections';
import { PreviewFrame } from '../components/builder/PreviewFrame';
import { PublishDialog } from '../components/builder/PublishDialog';
import { useFormsApi, type BuilderForm } from '../hooks/useForms';
import { useT } from '../hooks/useT';
import { apiError } from '../utils/api-error';
import { statusBadge } from './FormsPage';

/** The problems of a definition by where they are: "name", "fields.2.options", "signatures.0.role", … */
const byPath = (issues: DefinitionIssue[]) => {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const path = i.path.map(String).filter((p, n) => !(n === 0 && p === 'definition'));
    out[path.join('.')] ??= i.message;
  }
  return out;
};

const fieldErrors = (errors: Record<string, string>, index: number) =>
  Object.fromEntries(
    Object.entries(errors).flatMap(([path, message]) => {
      const m = /^fields\.(\d+)\.([^.]+)/.exec(path);
      return m && Number(m[1]) === index ? [[m[2], message]] : [];
    })
  );

/** Where a save was refused: the server's details.errors, by path. */
const serverIssues = (err: unknown): DefinitionIssue[] =>
  (
    (err as { response?: { data?: { error?: { details?: { errors?: DefinitionIssue[] } } } } }).response?.data?.error?.details?.errors ?? []
  ).map((e) => ({
    path: e.path,
    message: e.message,
  }));

/**
 * EAS → Forms → a form: the form's settings, its questions (add by type, reorder, only the settings each type
 * uses), photos, signatures and PDF, with the live phone preview beside them; Save draft and Publish.
 */
export const FormBuilderPage = () => {
  const t = useT();
  const api = useFormsApi();
  const navigate = useNavigate();
  const { documentId } = useParams<{ documentId?: string }>();
  const { toggleNotification } = useNotification();
  const [loaded, setLoaded] = React.useState<BuilderForm | null>(null);
  const [draft, setDraft] = React.useState<FormDefinition | null>(documentId ? null : newForm());
  const [dirty, setDirty] = React.useState(false);
  const [selected, setSelected] = React.useState<number | null>(null);
  const [typedKeys, setTypedKeys] = React.useState<Set<string>>(new Set());
  const [refused, setRefused] = React.useState<DefinitionIssue[]>([]);
  const [failed, setFailed] = React.useState(false);
  const [busy, setBusy] = React.useState(false);
  const [publishing, setPublishing] = React.useState(false);
  const labelRef = React.useRef<HTMLInputElement>(null);
  const focusLabel = React.useRef(false);

  React.useEffect(() => {
    if (!documentId) return;
    if (loaded?.documentId === documentId) return;
    api.read(documentId).then(
      (form) => {
        setLoaded(form);
        setDraft(form.definition);
      },
      () => setFailed(true)
    );
  }, [api, documentId, loaded?.documentId]);

  React.useEffect(() => {
    if (focusLabel.current) {
      focusLabel.current = false;
      labelRef.current?.focus();
    }
  }, [selected]);

  if (failed) return <Page.Error />;
  if (!draft) return <Page.Loading />;

  const tidy = tidyDefinition(draft);
  const errors: Record<string, string> = {
    ...byPath(refused),
    ...byPath(validateFormDefinition(tidy)),
    ...(tidy.name.trim() || !dirty ? {} : { name: t('builder.form.name.required', 'A form name is required') }),
  };
  const problems = new Set(
    Object.keys(errors).flatMap((p) => {
      const m = /^fields\.(\d+)/.exec(p);
      return m ? [Number(m[1])] : [];
    })
  );
  const published = loaded?.published ?? null;
  const lockedKeys = new Set(published?.fields.map((f) => f.key) ?? []);
  const lockedSignatures = new Set(published?.signatures.map((s) => s.key) ?? []);

  const change = (patch: Partial<FormDefinition>) => {
    setDraft((d) => ({ ...d!, ...patch }));
    setDirty(true);
    setRefused([]);
  };
  const setFields = (fields: FieldDefinition[]) => change({ fields });

  const add = (type: FieldType) => {
    const inside = selected !== null && CONTAINER_TYPES.has(draft.fields[selected]?.type) ? draft.fields[selected].key : undefined;
    const field = newField(type, draft.fields, inside);
    const at = insertionPoint(draft.fields, inside);
    setFields([...draft.fields.slice(0, at), field, ...draft.fields.slice(at)]);
    focusLabel.current = true;
    setSelected(at);
  };

  const save = async (): Promise<BuilderForm | null> => {
    setBusy(true);
    try {
      const saved = loaded ? await api.save(loaded.documentId, tidy) : await api.create(tidy);
      setLoaded(saved);
      setDraft(saved.definition);
      setDirty(false);
      setRefused([]);
      if (!loaded) navigate(`../${saved.documentId}`, { relative: 'path', replace: true });
      return saved;
    } catch (err) {
      const issues = serverIssues(err);
      setRefused(
        issues.length ? issues : [{ path: [], message: apiError(err).message ?? t('builder.save-failed', 'The form could not be saved.') }]
      );
      toggleNotification({ type: 'danger', message: t('builder.refused', 'The form was not saved: fix what is marked.') });
      return null;
    } finally {
      setBusy(false);
    }
  };

  const publish = async () => {
    const saved = dirty || !loaded ? await save() : loaded;
    if (!saved) {
      setPublishing(false);
      return;
    }
    setBusy(true);
    try {
      const result = await api.publish(saved.documentId);
      setLoaded(result);
      setDraft(result.definition);
      setPublishing(false);
      toggleNotification({
        type: 'success',
        message: result.newVersion
          ? t('builder.published', 'Version {n} published: field staff get it the next time their phone is online.', { n: result.version })
          : t('builder.published.same', 'Nothing changed: version {n} stays current.', { n: result.version }),
      });
    } catch (err) {
      const issues = serverIssues(err);
      setRefused(issues);
      setPublishing(false);
      toggleNotification({
        type: 'danger',
        message: apiError(err).message ?? t('builder.publish-failed', 'The form could not be published.'),
      });
    } finally {
      setBusy(false);
    }
  };

  const general = errors[''];
  const selectedField = selected !== null ? draft.fields[selected] : undefined;
  const others = new Set(draft.fields.filter((_, i) => i !== selected).map((f) => f.key));

  return (
    <Page.Main>
      <Page.Title>{draft.name || t('builder.new', 'New form')}</Page.Title>
      <Layouts.Header
        navigationAction={
          <Link to=".." relative="path" style={{ display: 'inline-flex', gap: 8, alignItems: 'center' }}>
            <ArrowLeft aria-hidden /> {t('builder.back', 'Forms')}
          </Link>
        }
        title={draft.name || t('builder.new', 'New form')}
        subtitle={
          <Flex gap={2}>
            {loaded ? (
              statusBadge(dirty ? 'modified' : loaded.status, loaded.archived, t)
            ) : (
              <Badge>{t('builder.unsaved', 'Not saved yet')}</Badge>
            )}
            <Typography variant="pi" textColor="neutral600">
              {loaded?.version
                ? t('builder.version', 'Field staff use version {n}', { n: loaded.version })
                : t('builder.never', 'Not published yet')}
            </Typography>
          </Flex>
        }
        secondaryAction={
          <Button variant="secondary" onClick={() => void save()} loading={busy && !publishing} disabled={!dirty && Boolean(loaded)}>
            {dirty || !loaded ? t('builder.save', 'Save draft') : t('builder.saved', 'Saved')}
          </Button>
        }
        primaryAction={
          <Button startIcon={<Check />} onClick={() => setPublishing(true)} disabled={Object.keys(errors).length > 0 || busy}>
            {t('builder.publish', 'Publish…')}
          </Button>
        }
      />
      <Layouts.Content>
        <Flex alignItems="flex-start" gap={6}>
          <Flex direction="column" alignItems="stretch" gap={5} flex="1" minWidth={0}>
            {general ? (
              <Typography textColor="danger600" role="alert">
                {general}
              </Typography>
            ) : null}
            <FormSettings definition={draft} onChange={change} errors={errors} slugLocked={Boolean(loaded?.version)} />
            <Section title={t('builder.questions', 'Questions')} testId="eas-questions">
              <FieldList
                fields={draft.fields}
                selected={selected}
                problems={problems}
                onSelect={setSelected}
                onAdd={add}
                onMove={(from, to) => {
                  const next = moveField(draft.fields, from, to);
                  const key = draft.fields[from].key;
                  setFields(next);
                  if (selected === from) setSelected(next.findIndex((f) => f.key === key));
                }}
                onRemove={(i) => {
                  setFields(removeField(draft.fields, i));
                  setSelected(null);
                }}
              />
              {selectedField && selected !== null ? (
                <Box padding={4} hasRadius background="neutral100">
                  <FieldSettings
                    key={selected}
                    fields={draft.fields}
                    index={selected}
                    errors={fieldErrors(errors, selected)}
                    lockedKeys={lockedKeys}
                    keyFollowsLabel={
                      !typedKeys.has(selectedField.key) &&
                      (selectedField.label === '' || selectedField.key === keyFromLabel(selectedField.label, others, selectedField.type))
                    }
                    onKeyTyped={() => setTypedKeys((s) => new Set(s).add(selectedField.key))}
                    languages={draft.languages ?? []}
                    labelRef={labelRef}
                    onChange={(f) => {
                      const fields = [...draft.fields];
                      const old = fields[selected].key;
                      fields[selected] = f;
                      // A group's questions follow its key when it changes.
                      if (f.key !== old) for (const [i, g] of fields.entries()) if (g.group === old) fields[i] = { ...g, group: f.key };
                      if (typedKeys.has(old) && f.key !== old) setTypedKeys((s) => new Set([...s].filter((k) => k !== old)).add(f.key));
                      setFields(fields);
                    }}
                  />
                </Box>
              ) : draft.fields.length ? (
                <Typography variant="pi" textColor="neutral600">
                  {t('builder.pick', 'Pick a question to change it.')}
                </Typography>
              ) : null}
            </Section>
            <PhotoSettings definition={draft} onChange={change} errors={errors} />
            <SignatureSettings definition={draft} onChange={change} errors={errors} lockedKeys={lockedSignatures} />
            <PdfSettings definition={draft} onChange={change} />
          </Flex>
          <Box style={{ position: 'sticky', top: 16 }}>
            <PreviewFrame definition={tidy} />
          </Box>
        </Flex>
        <PublishDialog
          open={publishing}
          onOpenChange={setPublishing}
          draft={tidy}
          published={published}
          version={loaded?.version ?? 0}
          busy={busy}
          onPublish={() => void publish()}
        />
      </Layouts.Content>
    </Page.Main>
  );
};
