import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as enrich from './index.js';

describe('enrich public surface', () => {
  it('exports the pipeline functions', () => {
    for (const name of ['parseUserAgent', 'deviceOf', 'screenOf', 'botCheck', 'parsePageUrl', 'referrerHostOf', 'sourceOf', 'sourceOfTag', 'channelOf', 'categoryOfSource']) {
      expect(typeof (enrich as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(enrich.CHANNELS).toContain('AI');
  });

  it('opens every module with a one-line comment saying its responsibility', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      expect(readFileSync(`${dir}/${file}`, 'utf8').split('\n')[0], file).toMatch(/^\/\/ \S.{10,}$/);
    }
  });
});
