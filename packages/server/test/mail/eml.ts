// Test-only reader of RFC 5322 / MIME messages, written independently of nodemailer to check what it composed.

export interface ParsedMessage {
  /** Header names in lower case, values unfolded but still encoded. */
  rawHeaders: Array<[string, string]>;
  /** First value of a header, encoded words decoded; undefined when absent. */
  header(name: string): string | undefined;
  text: string | undefined;
  html: string | undefined;
}

export function parseMessage(raw: string): ParsedMessage {
  const { headers, body } = splitEntity(raw);
  const parts: Record<string, string> = {};
  // The last CRLF ends the message's last line; it is not part of the text.
  collectParts(headers, body.replace(/\r\n$/, ''), parts);
  return {
    rawHeaders: headers,
    header: (name) => {
      const value = headers.find(([key]) => key === name.toLowerCase())?.[1];
      return value === undefined ? undefined : decodeWords(value);
    },
    text: parts['text/plain'],
    html: parts['text/html'],
  };
}

function splitEntity(raw: string): { headers: Array<[string, string]>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const head = end === -1 ? raw : raw.slice(0, end);
  const body = end === -1 ? '' : raw.slice(end + 4);
  const headers = head
    .replace(/\r\n[ \t]/g, ' ')
    .split('\r\n')
    .filter(Boolean)
    .map((line): [string, string] => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    });
  return { headers, body };
}

function collectParts(headers: Array<[string, string]>, body: string, into: Record<string, string>): void {
  const contentType = headers.find(([k]) => k === 'content-type')?.[1] ?? 'text/plain';
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)![1]!;
    const sections = body.split(`--${boundary}`).slice(1, -1);
    for (const section of sections) {
      const part = splitEntity(section.replace(/^\r\n/, '').replace(/\r\n$/, ''));
      collectParts(part.headers, part.body, into);
    }
    return;
  }
  const encoding = headers.find(([k]) => k === 'content-transfer-encoding')?.[1].toLowerCase() ?? '7bit';
  into[type] = decodeBody(body, encoding).replace(/\r\n/g, '\n');
}

function decodeBody(body: string, encoding: string): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body.replace(/=\r\n/g, ''));
  return body;
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (UTF-8, B or Q); whitespace between two adjacent encoded words is dropped. */
export function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, kind: string, data: string) =>
      kind.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}
