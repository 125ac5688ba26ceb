import { Badge, Box, Button, Flex, IconButton, Typography } from '@strapi/design-system';
import { ArrowDown, ArrowUp, Drag, Plus, Trash } from '@strapi/icons';
import * as React from 'react';
import type { FieldDefinition, FieldType } from '../../../../shared/contracts/form';
import { PALETTE } from '../../builder/model';
import { typeName } from '../../builder/type-words';
import { useT } from '../../hooks/useT';

interface Props {
  fields: FieldDefinition[];
  selected: number | null;
  /** Fields with a problem, by index. */
  problems: ReadonlySet<number>;
  onSelect: (index: number) => void;
  onMove: (from: number, to: number | 'up' | 'down') => void;
  onRemove: (index: number) => void;
  onAdd: (type: FieldType) => void;
}

const depthOf = (fields: FieldDefinition[], f: FieldDefinition) => {
  let depth = 0;
  let group = f.group;
  while (group && depth < 10) {
    depth++;
    group = fields.find((g) => g.key === group)?.group;
  }
  return depth;
};

/**
 * The form's questions in order: pick one to edit it; reorder by dragging a row onto another, or with the arrow
 * buttons (Alt+↑ / Alt+↓ on a selected row). A group's or repeat's questions are indented under it and move with it.
 */
export const FieldList = ({ fields, selected, problems, onSelect, onMove, onRemove, onAdd }: Props) => {
  const t = useT();
  const [dragging, setDragging] = React.useState<number | null>(null);
  const [over, setOver] = React.useState<number | null>(null);
  const [announce, setAnnounce] = React.useState('');
  const move = (from: number, to: number | 'up' | 'down') => {
    onMove(from, to);
    setAnnounce(t('builder.moved', '“{label}” moved', { label: fields[from].label || fields[from].key }));
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Box tag="ol" aria-label={t('builder.questions', 'Questions')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {fields.map((f, i) => (
          <Box
            tag="li"
            key={`${f.key}-${i}`}
            draggable
            onDragStart={(e: React.DragEvent) => {
              setDragging(i);
              e.dataTransfer.effectAllowed = 'move';
              e.dataTransfer.setData('text/plain', String(i));
            }}
            onDragOver={(e: React.DragEvent) => {
              e.preventDefault();
              setOver(i);
            }}
            onDragLeave={() => setOver((o) => (o === i ? null : o))}
            onDrop={(e: React.DragEvent) => {
              e.preventDefault();
              const from = dragging ?? Number(e.dataTransfer.getData('text/plain'));
              setDragging(null);
              setOver(null);
              if (Number.isInteger(from) && from !== i) move(from, i);
            }}
            onDragEnd={() => {
              setDragging(null);
              setOver(null);
            }}
            data-testid="eas-field-row"
            data-key={f.key}
            marginLeft={depthOf(fields, f) * 6}
            marginBottom={1}
            padding={2}
            hasRadius
            background={selected === i ? 'primary100' : 'neutral0'}
            borderColor={over === i ? 'primary600' : problems.has(i) ? 'danger600' : 'neutral200'}
            borderStyle="solid"
            borderWidth="1px"
          >
            <Flex gap={2}>
              <Box color="neutral500" aria-hidden style={{ cursor: 'grab' }}>
                <Drag />
              </Box>
              <Box flex="1">
                <button
                  type="button"
                  onClick={() => onSelect(i)}
                  aria-current={selected === i ? 'true' : undefined}
                  onKeyDown={(e) => {
                    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
                      e.preventDefault();
                      move(i, e.key === 'ArrowUp' ? 'up' : 'down');
                    }
                  }}
                  style={{ all: 'unset', cursor: 'pointer', display: 'block', width: '100%' }}
                >
                  <Typography fontWeight={selected === i ? 'bold' : undefined}>
                    {f.label || t('builder.no-label', '(no question yet)')}
                  </Typography>{' '}
                  <Typography variant="pi" textColor="neutral600">
                    {typeName(f.type, t)}
                    {f.required ? ` · ${t('builder.required.short', 'required')}` : ''}
                    {f.relevant || f.showIf ? ` · ${t('builder.conditional', 'conditional')}` : ''}
                  </Typography>
                </button>
              </Box>
              {problems.has(i) ? <Badge variant="danger">{t('builder.to-fix', 'To fix')}</Badge> : null}
              <IconButton
                variant="ghost"
                label={t('builder.up', 'Move “{label}” up', { label: f.label || f.key })}
                onClick={() => move(i, 'up')}
              >
                <ArrowUp />
              </IconButton>
              <IconButton
                variant="ghost"
                label={t('builder.down', 'Move “{label}” down', { label: f.label || f.key })}
                onClick={() => move(i, 'down')}
              >
                <ArrowDown />
              </IconButton>
              <IconButton
                variant="ghost"
                label={t('builder.remove', 'Remove “{label}”', { label: f.label || f.key })}
                onClick={() => onRemove(i)}
              >
                <Trash />
              </IconButton>
            </Flex>
          </Box>
        ))}
      </Box>
      <Box aria-live="polite" style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>
        {announce}
      </Box>
      <Box>
        <Typography variant="sigma" textColor="neutral600" tag="h3">
          {t('builder.add', 'Add a question')}
        </Typography>
        <Flex gap={2} wrap="wrap" marginTop={2} role="group" aria-label={t('builder.add', 'Add a question')}>
          {PALETTE.map((type) => (
            <Button key={type} size="S" variant="secondary" startIcon={<Plus />} onClick={() => onAdd(type)}>
              {typeName(type, t)}
            </Button>
          ))}
        </Flex>
      </Box>
    </Flex>
  );
};
