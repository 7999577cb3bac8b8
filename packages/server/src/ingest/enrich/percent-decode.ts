// Percent-decoding that never throws: valid UTF-8 sequences are decoded, anything else is kept as written.

/** Decides, per decoded code point, whether it stays percent-encoded (e.g. "/" inside a path segment). */
export type KeepEncoded = (codePoint: number) => boolean;

const NEVER: KeepEncoded = () => false;

export function safeDecode(input: string, keepEncoded: KeepEncoded = NEVER): string {
  if (!input.includes('%')) return input;
  let out = '';
  let i = 0;
  while (i < input.length) {
    if (input.charCodeAt(i) !== 0x25 /* % */) {
      const next = input.indexOf('%', i);
      const end = next === -1 ? input.length : next;
      out += input.slice(i, end);
      i = end;
      continue;
    }
    // Collect a run of %XX triplets and decode it as one byte sequence.
    const start = i;
    const bytes: number[] = [];
    while (i + 2 < input.length && input.charCodeAt(i) === 0x25 && isHex(input.charCodeAt(i + 1)) && isHex(input.charCodeAt(i + 2))) {
      bytes.push(parseInt(input.slice(i + 1, i + 3), 16));
      i += 3;
    }
    if (bytes.length === 0) {
      out += '%';
      i += 1;
      continue;
    }
    out += decodeRun(bytes, input.slice(start, i), keepEncoded);
  }
  return out;
}

function decodeRun(bytes: number[], raw: string, keepEncoded: KeepEncoded): string {
  let out = '';
  let k = 0;
  while (k < bytes.length) {
    const [codePoint, length] = utf8At(bytes, k);
    if (codePoint < 0 || keepEncoded(codePoint)) out += raw.slice(k * 3, (k + length) * 3);
    else out += String.fromCodePoint(codePoint);
    k += length;
  }
  return out;
}

/** [code point, bytes used], or [-1, 1] for a byte that does not start a valid, shortest-form sequence. */
function utf8At(bytes: number[], k: number): [number, number] {
  const b0 = bytes[k] as number;
  if (b0 < 0x80) return [b0, 1];
  let length: number;
  let min: number;
  if (b0 >= 0xc2 && b0 <= 0xdf) [length, min] = [2, 0x80];
  else if (b0 >= 0xe0 && b0 <= 0xef) [length, min] = [3, 0x800];
  else if (b0 >= 0xf0 && b0 <= 0xf4) [length, min] = [4, 0x10000];
  else return [-1, 1];
  if (k + length > bytes.length) return [-1, 1];
  let codePoint = b0 & (0xff >> (length + 1));
  for (let j = 1; j < length; j++) {
    const b = bytes[k + j] as number;
    if ((b & 0xc0) !== 0x80) return [-1, 1];
    codePoint = (codePoint << 6) | (b & 0x3f);
  }
  // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not valid UTF-8.
  if (codePoint < min || (codePoint >= 0xd800 && codePoint <= 0xdfff) || codePoint > 0x10ffff) return [-1, 1];
  return [codePoint, length];
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** C0 controls, DEL and C1 controls: never useful in a stored label. */
export function isControl(codePoint: number): boolean {
  return codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f);
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
export function clipText(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}
