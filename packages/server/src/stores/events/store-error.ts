// The one error type both events-store engines reject with, carrying ClickHouse's code and name.

export interface EventStoreErrorDetails {
  /** ClickHouse exception code, e.g. 60 for UNKNOWN_TABLE; absent for transport failures. */
  code?: number;
  /** ClickHouse exception name, e.g. 'UNKNOWN_TABLE'. */
  type?: string;
  /** The statement that failed (values are bound server-side, so it holds none). */
  sql?: string;
  cause?: unknown;
}

export class EventStoreError extends Error {
  readonly code: number | undefined;
  readonly type: string | undefined;
  readonly sql: string | undefined;

  constructor(message: string, details: EventStoreErrorDetails = {}) {
    super(message, { cause: details.cause });
    this.name = 'EventStoreError';
    this.code = details.code;
    this.type = details.type;
    this.sql = details.sql;
  }
}

// "Code: 60. DB::Exception: <message>. (UNKNOWN_TABLE) (version ...)"; the innermost exception wins.
const EXCEPTION_TEXT = /Code: (\d+)\..*Exception: (.+?) \(([A-Z][A-Z0-9_]{2,})\)/s;

/** Reads code, name and message out of ClickHouse's exception text; null when the text is not one. */
export function parseClickHouseException(text: string): { code: number; type: string; message: string } | null {
  const match = EXCEPTION_TEXT.exec(text);
  if (!match) return null;
  return { code: Number(match[1]), type: match[3]!, message: match[2]!.trim() };
}

/** `UNKNOWN_TABLE (60): Unknown table expression identifier 'x' ...` */
export function formatClickHouseError(code: number, type: string, message: string): string {
  return `${type} (${code}): ${message}`;
}
