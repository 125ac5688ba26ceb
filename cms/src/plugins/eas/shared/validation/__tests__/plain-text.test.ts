import { describe, expect, it } from 'vitest';
import { findInvisibleCharacter, invisibleCharacterMessage, showInvisible } from '../plain-text';

describe('plain text', () => {
  it.each([
    ['U+0000 (NUL)', 'a\u0000b', { kind: 'control', codePoint: 'U+0000', index: 1 }],
    ['U+0007 (bell)', '\u0007', { kind: 'control', codePoint: 'U+0007', index: 0 }],
    ['U+001B (escape)', 'x\u001b[31m', { kind: 'control', codePoint: 'U+001B', index: 1 }],
    ['U+001F', 'x\u001f', { kind: 'control', codePoint: 'U+001F', index: 1 }],
    ['a lone high surrogate', 'a\ud800b', { kind: 'surrogate', codePoint: 'U+D800', index: 1 }],
    ['a lone high surrogate at the end', 'ab\udbff', { kind: 'surrogate', codePoint: 'U+DBFF', index: 2 }],
    ['a lone low surrogate', 'a\udc00', { kind: 'surrogate', codePoint: 'U+DC00', index: 1 }],
    ['two high surrogates', '\ud83d\ud83d\ude00', { kind: 'surrogate', codePoint: 'U+D83D', index: 0 }],
    ['U+202A (LTR embedding)', '\u202a', { kind: 'bidi', codePoint: 'U+202A', index: 0 }],
    ['U+202E (RTL override)', 'Grace \u202erepoH', { kind: 'bidi', codePoint: 'U+202E', index: 6 }],
    ['U+2066 (LTR isolate)', '\u2066x', { kind: 'bidi', codePoint: 'U+2066', index: 0 }],
    ['U+2069 (pop isolate)', 'x\u2069', { kind: 'bidi', codePoint: 'U+2069', index: 1 }],
  ])('finds %s', (_name, text, found) => {
    expect(findInvisibleCharacter(text)).toEqual(found);
  });

  it.each([
    ['tab, line feed and carriage return', 'a\tb\nc\r\nd'],
    ['Arabic and Hebrew', 'مرحبا שלום'],
    ['left-to-right and right-to-left marks', 'abc\u200edef\u200f'],
    ['an emoji (a surrogate pair)', 'ok 😀'],
    ['U+007F and C1 controls, which PostgreSQL stores', '\u007f\u0085'],
    ['U+2029 and U+2065, next to the refused ranges', '\u2029\u2065\u206a\u2029'],
    ['the empty string', ''],
  ])('lets %s through', (_name, text) => {
    expect(findInvisibleCharacter(text)).toBeNull();
  });

  it('says what is wrong in plain words', () => {
    expect(invisibleCharacterMessage('a\u0000')).toBe('contains an invisible control character (U+0000); remove it');
    expect(invisibleCharacterMessage('a\ud800')).toBe('contains a broken character (U+D800, half of a character pair); retype it');
    expect(invisibleCharacterMessage('\u202e')).toBe(
      'contains an invisible text-direction character (U+202E), which makes it display differently from what is stored; remove it'
    );
    expect(invisibleCharacterMessage('fine')).toBeNull();
  });

  it('spells out every invisible character when text is echoed back', () => {
    expect(showInvisible('a\u0000b\u202ec\ud800')).toBe('a<U+0000>b<U+202E>c<U+D800>');
    expect(showInvisible('plain 😀')).toBe('plain 😀');
  });
});
