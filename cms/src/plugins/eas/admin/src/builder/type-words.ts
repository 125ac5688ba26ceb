import type { FieldType } from '../../../shared/contracts/form';
import type { Translate } from '../hooks/useT';

/** Each field type in plain words, with what it asks (the "Add a question" palette and the type picker). */
export const typeName = (type: FieldType, t: Translate): string =>
  ({
    text: t('type.text', 'Short text'),
    textarea: t('type.textarea', 'Long text'),
    number: t('type.number', 'Number'),
    integer: t('type.integer', 'Whole number'),
    decimal: t('type.decimal', 'Decimal number'),
    date: t('type.date', 'Date'),
    time: t('type.time', 'Time'),
    datetime: t('type.datetime', 'Date and time'),
    select: t('type.select', 'One choice'),
    multiselect: t('type.multiselect', 'Several choices'),
    checkbox: t('type.checkbox', 'Yes/no box'),
    acknowledge: t('type.acknowledge', 'Must be ticked'),
    range: t('type.range', 'Rating'),
    email: t('type.email', 'Email'),
    phone: t('type.phone', 'Phone'),
    note: t('type.note', 'Note (text only)'),
    group: t('type.group', 'Group'),
    repeat: t('type.repeat', 'Repeated group'),
    geopoint: t('type.geopoint', 'Location (GPS)'),
    barcode: t('type.barcode', 'Barcode / QR'),
    photo: t('type.photo', 'Photo'),
  })[type];

/** The words for a field's smallest/largest setting, which mean different things by type. */
export const limitWords = (type: FieldType, t: Translate): { min: string; max: string } | null => {
  switch (type) {
    case 'text':
    case 'textarea':
      return { min: t('limit.min-length', 'Fewest characters'), max: t('limit.max-length', 'Most characters') };
    case 'multiselect':
      return { min: t('limit.min-choices', 'Fewest choices'), max: t('limit.max-choices', 'Most choices') };
    case 'repeat':
      return { min: t('limit.min-entries', 'Fewest entries'), max: t('limit.max-entries', 'Most entries') };
    case 'range':
      return { min: t('limit.from', 'Scale from'), max: t('limit.to', 'Scale to') };
    case 'geopoint':
      return { min: '', max: t('limit.accuracy', 'Worst accuracy accepted (metres)') };
    case 'date':
      return null;
    default:
      return { min: t('limit.min', 'Smallest value'), max: t('limit.max', 'Largest value') };
  }
};
