/**
 * The one rule for free text people type (record values, signer names, device names, review comments): no
 * characters that are invisible or broken. Pure, shared by the server's validators and the capture site.
 *
 * Refused:
 *  - C0 control characters other than tab, line feed and carriage return (U+0000 … U+001F): invisible, and
 *    PostgreSQL refuses U+0000 in text and jsonb outright;
 *  - lone UTF-16 surrogates (U+D800 … U+DFFF without their pair): not characters at all; jsonb refuses them;
 *  - bidirectional embeddings, overrides and isolates (U+202A … U+202E, U+2066 … U+2069): they reorder the text
 *    around them, so a name can be displayed (and printed on the PDF) differently from what is stored.
 * Right-to-left text itself (Arabic, Hebrew) and the left/right marks U+200E/U+200F stay allowed.
 */

export type InvisibleKind = 'control' | 'surrogate' | 'bidi';

export interface InvisibleCharacter {
  kind: InvisibleKind;
  /** "U+0000" */
  codePoint: string;
  /** UTF-16 index in the text. */
  index: number;
}

const isControl = (unit: number) => unit < 0x20 && unit !== 0x09 && unit !== 0x0a && unit !== 0x0d;
const isBidi = (unit: number) => (unit >= 0x202a && unit <= 0x202e) || (unit >= 0x2066 && unit <= 0x2069);
const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

const hex = (unit: number) => `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Index of the first invisible or broken code unit at or after `from`, or -1. A loop rather than a regular
 * expression: finding a lone surrogate needs a lookbehind, which older phone browsers cannot parse.
 */
const indexOfInvisible = (text: string, from = 0): number => {
  for (let i = from; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x20) {
      if (isControl(unit)) return i;
    } else if (isHigh(unit)) {
      if (!isLow(text.charCodeAt(i + 1))) return i;
      i++;
    } else if (isLow(unit) || isBidi(unit)) return i;
  }
  return -1;
};

/** The first invisible or broken character of `text`, or null when there is none. */
export const findInvisibleCharacter = (text: string): InvisibleCharacter | null => {
  const index = indexOfInvisible(text);
  if (index < 0) return null;
  const unit = text.charCodeAt(index);
  const kind: InvisibleKind = isHigh(unit) || isLow(unit) ? 'surrogate' : isControl(unit) ? 'control' : 'bidi';
  return { kind, codePoint: hex(unit), index };
};

/** "contains an invisible control character (U+0000); remove it" — the caller puts the field's name in front. */
export const describeInvisibleCharacter = (c: InvisibleCharacter): string => {
  switch (c.kind) {
    case 'control':
      return `contains an invisible control character (${c.codePoint}); remove it`;
    case 'surrogate':
      return `contains a broken character (${c.codePoint}, half of a character pair); retype it`;
    case 'bidi':
      return `contains an invisible text-direction character (${c.codePoint}), which makes it display differently from what is stored; remove it`;
  }
};

/** The message for a value, or null when it is plain text. */
export const invisibleCharacterMessage = (text: string): string | null => {
  const found = findInvisibleCharacter(text);
  return found ? describeInvisibleCharacter(found) : null;
};

/** For echoing text back in a message: every invisible or broken character written as its code point, e.g. <U+202E>. */
export const showInvisible = (text: string): string => {
  let out = '';
  let start = 0;
  for (let i = indexOfInvisible(text); i >= 0; i = indexOfInvisible(text, start)) {
    out += `${text.slice(start, i)}<${hex(text.charCodeAt(i))}>`;
    start = i + 1;
  }
  return out + text.slice(start);
};
