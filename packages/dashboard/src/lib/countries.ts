// Country codes (ISO 3166-1 alpha-2, as stored with events) ↔ the numeric ids of the world map, and their names.
import countries from 'i18n-iso-countries';

const names = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : undefined;

export function countryName(code: string): string {
  if (!code) return 'Unknown';
  try {
    return names?.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** Flag emoji from the two letters (regional indicator symbols). */
export function countryFlag(code: string): string {
  if (!/^[A-Za-z]{2}$/.test(code)) return '';
  return String.fromCodePoint(...[...code.toUpperCase()].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

/** Map features without a numeric id (Natural Earth), by name. */
const UNNUMBERED: Record<string, string> = { Kosovo: 'XK', 'N. Cyprus': 'CY', Somaliland: 'SO' };

export function alpha2OfFeature(id: string | number | undefined, name: string | undefined): string | undefined {
  if (id !== undefined && id !== null && id !== '') return countries.numericToAlpha2(String(id).padStart(3, '0'));
  return name ? UNNUMBERED[name] : undefined;
}
