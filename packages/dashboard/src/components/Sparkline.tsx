// A small line of a series (sites list), drawn in SVG.
export function Sparkline({ values, width = 160, height = 40, label }: { values: number[]; width?: number; height?: number; label: string }) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} preserveAspectRatio="none">
      {values.length > 1 && (
        <>
          <polygon points={`0,${height} ${points} ${width},${height}`} className="sparkline-area" />
          <polyline points={points} className="sparkline-line" fill="none" />
        </>
      )}
    </svg>
  );
}
