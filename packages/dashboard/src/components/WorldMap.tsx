// Countries shaded by visitors (choropleth); the map data loads only when the map is first shown.
import { useEffect, useMemo, useRef, useState } from 'react';
import { geoEqualEarth, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { StatsRow } from '../lib/api.js';
import { alpha2OfFeature, countryName } from '../lib/countries.js';
import { formatNumber } from '../lib/format.js';
import { Skeleton } from './Skeleton.js';

type CountryFeature = Feature<Geometry, { name: string }> & { id?: string | number };

let countriesPromise: Promise<CountryFeature[]> | undefined;
function loadCountries(): Promise<CountryFeature[]> {
  countriesPromise ??= import('world-atlas/countries-110m.json').then((m) => {
    const topo = (m.default ?? m) as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
    return (feature(topo, topo.objects.countries) as FeatureCollection<Geometry, { name: string }>).features.filter((f) => f.properties.name !== 'Antarctica') as CountryFeature[];
  });
  return countriesPromise;
}

const WIDTH = 600;
const HEIGHT = 300;

export function WorldMap({ rows, onSelect }: { rows: StatsRow[]; onSelect: (country: string) => void }) {
  const [countries, setCountries] = useState<CountryFeature[]>();
  const [failed, setFailed] = useState(false);
  const [hover, setHover] = useState<{ code: string; name: string; x: number; y: number }>();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    loadCountries().then(setCountries, () => setFailed(true));
  }, []);

  const visitors = useMemo(() => new Map(rows.map((r) => [String(r.dimensions[0]), r.metrics[0] ?? 0])), [rows]);
  const max = Math.max(1, ...visitors.values());
  const shapes = useMemo(() => {
    if (!countries) return [];
    const projection = geoEqualEarth().fitSize([WIDTH, HEIGHT], { type: 'FeatureCollection', features: countries });
    const path = geoPath(projection);
    return countries.map((f) => ({ d: path(f) ?? '', code: alpha2OfFeature(f.id, f.properties.name) ?? '', name: f.properties.name }));
  }, [countries]);

  if (failed) return <p className="muted">The map could not be loaded; the Countries tab has the same figures.</p>;
  if (!countries) return <Skeleton height={HEIGHT / 2} />;
  return (
    <div className="world-map" ref={box} onMouseLeave={() => setHover(undefined)}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label="Visitors by country, world map">
        {shapes.map((s, i) => {
          const n = visitors.get(s.code) ?? 0;
          // Square-root scale: one big country does not wash out the rest.
          const level = n > 0 ? 0.15 + 0.85 * Math.sqrt(n / max) : 0;
          return (
            <path
              key={i}
              d={s.d}
              className={n > 0 ? 'map-country map-has-data' : 'map-country'}
              style={n > 0 ? { fillOpacity: level } : undefined}
              onMouseMove={(e) => {
                const rect = box.current?.getBoundingClientRect();
                if (rect) setHover({ code: s.code, name: s.code ? countryName(s.code) : s.name, x: e.clientX - rect.left, y: e.clientY - rect.top });
              }}
              onClick={() => n > 0 && s.code && onSelect(s.code)}
            >
              <title>{`${s.code ? countryName(s.code) : s.name}: ${formatNumber(n)} visitors`}</title>
            </path>
          );
        })}
      </svg>
      {hover && (
        <div className="map-tip" style={{ left: hover.x + 12, top: hover.y + 12 }}>
          <strong>{hover.name}</strong> {formatNumber(visitors.get(hover.code) ?? 0)} visitors
        </div>
      )}
    </div>
  );
}
