// Address parsing: exactly one mailbox, RFC 5322 syntax, IDN domains in ASCII, nothing that could become a header.
import { describe, expect, it } from 'vitest';
import { formatMailbox, parseMailbox } from '../../src/mail/mailbox.js';

describe('parseMailbox', () => {
  it.each([
    ['a@b.c', { name: '', address: 'a@b.c' }],
    ['  first.last+tag@sub.example.com ', { name: '', address: 'first.last+tag@sub.example.com' }],
    ['Jürgen Groß <jurgen@example.com>', { name: 'Jürgen Groß', address: 'jurgen@example.com' }],
    ['"Groß, Jürgen" <jurgen@example.com>', { name: 'Groß, Jürgen', address: 'jurgen@example.com' }],
    ['Groß, Jürgen <jurgen@example.com>', { name: 'Groß, Jürgen', address: 'jurgen@example.com' }],
    ['"say \\"hi\\"" <a@b.c>', { name: 'say "hi"', address: 'a@b.c' }],
    ['<a@b.c>', { name: '', address: 'a@b.c' }],
    ['jurgen@bücher.de', { name: '', address: 'jurgen@xn--bcher-kva.de' }],
    ['Ana <ana@Example.ORG>', { name: 'Ana', address: 'ana@example.org' }],
    ['dev@localhost', { name: '', address: 'dev@localhost' }],
    [`${'x'.repeat(64)}@b.c`, { name: '', address: `${'x'.repeat(64)}@b.c` }],
  ])('accepts %j', (value, mailbox) => {
    expect(parseMailbox(value)).toEqual(mailbox);
  });

  it.each([
    'a@b.c\r\nBcc: evil@x',
    'a@b.c\nBcc: evil@x',
    'a@b.c\rBcc: evil@x',
    'Name\r\n <a@b.c>',
    '"Name\r\nBcc: evil@x" <a@b.c>',
    'a@b.c\u0000',
    'a@b.c, d@e.f',
    'a@b.c d@e.f',
    'a@b.c,d@e.f',
    'a@b.c, Name <d@e.f>',
    'group: a@b.c;',
    'group: Name <a@b.c>',
    'nobody',
    '@b.c',
    'a@',
    'a@b..c',
    'a@b.c.',
    '.a@b.c',
    'a..b@c.d',
    'a@-b.c',
    'a@b_c.d',
    'a@[127.0.0.1]',
    'a@127.0.0.1',
    'müller@bücher.de',
    '<>',
    'a <b> <c@d.e>',
    'Name "x <a@b.c>',
    '"a" b" <a@b.c>',
    '',
    `${'x'.repeat(65)}@b.c`,
    `a@${'b'.repeat(64)}.c`,
    `a@${Array.from({ length: 50 }, () => 'bbbbb').join('.')}.c`,
  ])('refuses %j', (value) => {
    expect(parseMailbox(value)).toBeNull();
  });

  it('formats a mailbox back into one header-safe address', () => {
    expect(formatMailbox({ name: '', address: 'a@b.c' })).toBe('a@b.c');
    expect(formatMailbox({ name: 'Zoë Müller', address: 'a@b.c' })).toBe('Zoë Müller <a@b.c>');
    expect(formatMailbox({ name: 'Groß, "J"', address: 'a@b.c' })).toBe('"Groß, \\"J\\"" <a@b.c>');
    for (const name of ['Zoë Müller', 'Groß, "J"', 'a <b>', 'x\\y', 'a@b.c, evil', 'group: x;']) {
      expect(parseMailbox(formatMailbox({ name, address: 'a@b.c' }))).toEqual({ name, address: 'a@b.c' });
    }
  });
});
