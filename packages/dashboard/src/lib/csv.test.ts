import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.js';

describe('toCsv', () => {
  it('quotes commas, quotes and line breaks (RFC 4180) and ends lines with CRLF', () => {
    expect(toCsv(['Page', 'Visitors'], [['/a,b', 3], ['say "hi"', 2], ['two\nlines', 1]])).toBe('Page,Visitors\r\n"/a,b",3\r\n"say ""hi""",2\r\n"two\nlines",1\r\n');
  });
  it('defuses cells a spreadsheet would run as a formula, but not numbers', () => {
    expect(toCsv(['Event'], [['=HYPERLINK("http://evil")'], ['+1'], ['-2'], ['@SUM(A1)'], ['\tx'], [-5]])).toBe(
      `Event\r\n"'=HYPERLINK(""http://evil"")"\r\n'+1\r\n'-2\r\n'@SUM(A1)\r\n'\tx\r\n-5\r\n`,
    );
  });
  it('leaves empty and missing cells empty', () => {
    expect(toCsv(['a', 'b', 'c'], [['', null, undefined]])).toBe('a,b,c\r\n,,\r\n');
  });
});
