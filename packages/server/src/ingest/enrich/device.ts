// Device class from the viewport width (DESIGN §5), with the UA's device type as fallback; screen size label.

export type DeviceClass = 'mobile' | 'tablet' | 'laptop' | 'desktop';

/** Upper bounds (exclusive) in CSS pixels, smallest first; wider than the last is "desktop". */
export const VIEWPORT_BREAKPOINTS: readonly (readonly [maxExclusive: number, device: DeviceClass])[] = [
  [576, 'mobile'],
  [992, 'tablet'],
  [1440, 'laptop'],
];

/** ua-parser-js device types -> our class, used only when the viewport width is unknown. */
export const UA_DEVICE_TYPES: Readonly<Record<string, DeviceClass>> = {
  mobile: 'mobile',
  wearable: 'mobile',
  tablet: 'tablet',
  console: 'desktop',
  smarttv: 'desktop',
  embedded: 'desktop',
};

/**
 * A width of 0 means no layout (prerender, hidden iframe), so it counts as unknown like a missing one.
 * Without both, "desktop": UAs name phones and tablets, so an unnamed device is most likely a computer.
 */
export function deviceOf(viewportWidth?: number | null, uaDeviceType?: string | null): DeviceClass {
  if (typeof viewportWidth === 'number' && Number.isFinite(viewportWidth) && viewportWidth > 0) {
    for (const [maxExclusive, device] of VIEWPORT_BREAKPOINTS) if (viewportWidth < maxExclusive) return device;
    return 'desktop';
  }
  const type = (uaDeviceType ?? '').toLowerCase();
  return Object.hasOwn(UA_DEVICE_TYPES, type) ? (UA_DEVICE_TYPES[type] as DeviceClass) : 'desktop';
}

const SCREEN_MAX = 100_000;

/** "1920x1080", or "" when either side is missing, not a positive number or absurd. */
export function screenOf(width?: number | null, height?: number | null): string {
  const w = dimension(width);
  const h = dimension(height);
  return w && h ? `${w}x${h}` : '';
}

function dimension(n: number | null | undefined): number {
  if (typeof n !== 'number' || !Number.isFinite(n)) return 0;
  const rounded = Math.round(n);
  return rounded > 0 && rounded <= SCREEN_MAX ? rounded : 0;
}
