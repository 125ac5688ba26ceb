import { describe, expect, it } from 'vitest';
import { dateFormat, formatDay, localeFor, parseDay } from '../dates';

describe('dates in the person’s language', () => {
  it('types and shows a French date day first, a US date month first, and stores both the same', () => {
    const fr = dateFormat('fr-FR');
    const us = dateFormat('en-US');
    expect(formatDay('2026-12-01', fr)).toBe('01/12/2026');
    expect(formatDay('2026-12-01', us)).toBe('12/01/2026');
    expect(parseDay('01/12/2026', fr)).toBe('2026-12-01');
    expect(parseDay('12/1/2026', us)).toBe('2026-12-01');
    expect(parseDay('1.12.2026', fr)).toBe('2026-12-01');
  });

  it('accepts Arabic-Indic digits as typed on an Arabic keyboard', () => {
    const ar = dateFormat('ar');
    const shown = formatDay('2026-12-01', ar);
    expect(parseDay(shown, ar)).toBe('2026-12-01');
    expect(
      parseDay(
        shown.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d))),
        ar
      )
    ).toBe('2026-12-01');
  });

  it('refuses days that do not exist and two-digit years instead of guessing', () => {
    const fr = dateFormat('fr');
    expect(parseDay('31/02/2026', fr)).toBeNull();
    expect(parseDay('01/12/26', fr)).toBeNull();
    expect(parseDay('hier', fr)).toBeNull();
    expect(parseDay('', fr)).toBeNull();
  });

  it("uses the phone's own variant of the chosen language, else the language", () => {
    expect(localeFor('en', ['en-GB', 'fr-FR'])).toBe('en-GB');
    expect(localeFor('fr', ['en-GB', 'fr-CA'])).toBe('fr-CA');
    expect(localeFor('pt', ['en-GB'])).toBe('pt');
    expect(formatDay('2026-12-01', dateFormat('en-GB'))).toBe('01/12/2026');
  });
});
