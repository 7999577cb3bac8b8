import { describe, expect, it } from 'vitest';
import { alpha2OfFeature, countryFlag, countryName } from './countries.js';

describe('countries', () => {
  it('maps the world map ids to the stored alpha-2 codes', () => {
    expect(alpha2OfFeature('840', 'United States of America')).toBe('US');
    expect(alpha2OfFeature('036', 'Australia')).toBe('AU');
    expect(alpha2OfFeature(undefined, 'Kosovo')).toBe('XK');
  });
  it('names and flags a code', () => {
    expect(countryName('DE')).toBe('Germany');
    expect(countryName('')).toBe('Unknown');
    expect(countryFlag('de')).toBe('🇩🇪');
    expect(countryFlag('<b>')).toBe('');
  });
});
