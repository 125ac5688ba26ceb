import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../contracts/form';
import { recordSummary, summaryFieldOf, summaryFieldProblem } from '../display';

const fields: FieldDefinition[] = [
  { key: 'safe', label: 'Safe', type: 'checkbox', required: false },
  { key: 'site', label: 'Site', type: 'text', required: true },
  { key: 'condition', label: 'Condition', type: 'select', required: true, options: [{ value: 'poor', label: 'Poor' }] },
  { key: 'issues', label: 'Issues', type: 'multiselect', required: false, options: [{ value: 'leak', label: 'Leak' }] },
];

describe('the key field that names a record in lists', () => {
  it('defaults to the first text field and follows an explicit choice', () => {
    expect(summaryFieldOf({ fields })?.key).toBe('site');
    expect(summaryFieldOf({ fields, summaryField: 'condition' })?.key).toBe('condition');
    expect(summaryFieldOf({ fields: [fields[0]] })).toBeNull();
  });

  it('shows the value as a person reads it, and null when it is empty or redacted', () => {
    expect(recordSummary({ fields, summaryField: 'condition' }, { condition: 'poor' })).toBe('Poor');
    expect(recordSummary({ fields }, { site: 'North depot' })).toBe('North depot');
    expect(recordSummary({ fields }, { site: '' })).toBeNull();
    expect(recordSummary({ fields }, {})).toBeNull();
  });

  it('names an unknown or unsuitable list field', () => {
    expect(summaryFieldProblem({ fields }, 'nope')).toBe('List field: "nope" is not a field of this form');
    expect(summaryFieldProblem({ fields }, 'issues')).toMatch(/"issues" is a multiselect field/);
    expect(summaryFieldProblem({ fields }, 'site')).toBeNull();
  });
});
