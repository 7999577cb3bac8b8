import { describe, expect, it } from 'vitest';
import { clipText, isControl, safeDecode } from './percent-decode.js';

describe('safeDecode', () => {
  it.each([
    ['plain', 'plain'],
    ['caf%C3%A9', 'café'],
    ['caf%c3%a9', 'café'],
    ['%E6%97%A5%E6%9C%AC', '日本'],
    ['%F0%9F%98%80', '😀'],
    ['a%20b', 'a b'],
    ['100%', '100%'],
    ['100%25', '100%'],
    ['%', '%'],
    ['%%', '%%'],
    ['%zz', '%zz'],
    ['%4', '%4'],
    ['%E0%A4%A', '%E0%A4%A'], // truncated sequence, then a broken escape
    ['%C3', '%C3'], // lead byte without continuation
    ['%C3%28', '%C3('], // bad continuation: the lead stays, the ASCII decodes
    ['%80abc', '%80abc'], // lone continuation byte
    ['%C0%AF', '%C0%AF'], // overlong "/"
    ['%ED%A0%80', '%ED%A0%80'], // UTF-16 surrogate encoded in UTF-8
    ['%F4%90%80%80', '%F4%90%80%80'], // beyond U+10FFFF
    ['%FF%FE', '%FF%FE'],
    ['%3Cscript%3Ealert(1)%3C%2Fscript%3E', '<script>alert(1)</script>'],
  ])('%s -> %s', (input, expected) => {
    expect(safeDecode(input)).toBe(expected);
  });

  it('keeps chosen code points encoded, as written', () => {
    const keepSlash = (cp: number) => cp === 0x2f;
    expect(safeDecode('a%2fb%2Fc%C3%A9', keepSlash)).toBe('a%2fb%2Fcé');
  });

  it('is linear on long hostile input', () => {
    const input = '%E0%A4'.repeat(50_000) + '%'.repeat(50_000);
    expect(safeDecode(input)).toBe(input);
  });
});

describe('clipText', () => {
  it('does not split a surrogate pair', () => {
    expect(clipText('ab😀', 3)).toBe('ab');
    expect(clipText('ab😀', 4)).toBe('ab😀');
    expect(clipText('abc', 10)).toBe('abc');
  });
});

describe('isControl', () => {
  it.each([
    [0x00, true], [0x0a, true], [0x1f, true], [0x20, false], [0x7e, false], [0x7f, true], [0x85, true], [0x9f, true], [0xa0, false],
  ])('U+%s -> %s', (cp, expected) => {
    expect(isControl(cp)).toBe(expected);
  });
});
