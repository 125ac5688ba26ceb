import { describe, expect, it } from 'vitest';
import { parseRecipients } from '../notifications';

describe('notify list', () => {
  it('takes addresses separated by commas, semicolons or lines, once each, and drops anything else', () => {
    expect(parseRecipients('a@x.org, b@y.org\nc@z.org;a@x.org  nonsense <evil>@x')).toEqual(['a@x.org', 'b@y.org', 'c@z.org']);
    expect(parseRecipients(null)).toEqual([]);
  });
});
