// The value axis of the main chart.

/** Axis ticks from 0 past `max` in about four round steps (1, 2 or 5 times a power of ten). */
export function axisTicks(max: number, integer: boolean): number[] {
  const raw = max > 0 ? max / 4 : 0.25;
  const p = 10 ** Math.floor(Math.log10(raw));
  const n = raw / p;
  let step = (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * p;
  if (integer) step = Math.max(1, Math.round(step));
  const top = Math.max(step, Math.ceil(max / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let i = 0; i * step <= top + step / 1e6; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}
