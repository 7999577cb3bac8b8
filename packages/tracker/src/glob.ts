// Path globs for data-exclude / data-include: `*` matches within one path segment, `**` across segments.

/** `/blog/*` matches `/blog/a`; `/docs/**` matches `/docs`, `/docs/a` and `/docs/a/b`. */
export function globToRegExp(glob: string): RegExp {
  const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const source = glob
    .split('**')
    .map((part) => part.split('*').map(escape).join('[^/]*'))
    .join('.*')
    // A trailing "/**" also matches the folder itself.
    .replace(/\/\.\*$/, '(/.*)?');
  return new RegExp(`^${source}$`);
}

/** Splits a comma-separated attribute value into trimmed, non-empty items. */
export function splitList(value: string | null | undefined): string[] {
  return value ? value.split(',').map((item) => item.trim()).filter(Boolean) : [];
}
