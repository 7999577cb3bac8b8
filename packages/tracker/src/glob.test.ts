import { describe, expect, it } from 'vitest';
import { globToRegExp, splitList } from './glob.js';

describe('globToRegExp', () => {
  const matches = (glob: string, path: string) => globToRegExp(glob).test(path);

  it('matches * within one segment and ** across segments', () => {
    expect(matches('/blog/*', '/blog/hello')).toBe(true);
    expect(matches('/blog/*', '/blog/2024/hello')).toBe(false);
    expect(matches('/blog/**', '/blog/2024/hello')).toBe(true);
    expect(matches('/blog/**', '/blog')).toBe(true);
    expect(matches('/blog/**', '/blogs')).toBe(false);
    expect(matches('/*/edit', '/post-1/edit')).toBe(true);
    expect(matches('/**/edit', '/a/b/edit')).toBe(true);
    expect(matches('/**/edit', '/a/b/view')).toBe(false);
  });

  it('matches the whole path and treats other characters literally', () => {
    expect(matches('/admin', '/admin')).toBe(true);
    expect(matches('/admin', '/admin/x')).toBe(false);
    expect(matches('/a.b', '/axb')).toBe(false);
    expect(matches('/(x)+', '/(x)+')).toBe(true);
  });
});

it('splitList trims and drops empty items', () => {
  expect(splitList(' /a/**, /b ,,')).toEqual(['/a/**', '/b']);
  expect(splitList(null)).toEqual([]);
});
