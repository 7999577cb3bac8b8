// Test-only server speaking enough of ClickHouse's HTTP interface for @clickhouse/client, executing on chDB.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { Session, drainPending, version } from 'chdb';

export interface ClickHouseHttpOnChdb {
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

/** URL parameters that steer the HTTP layer; every other non-`param_` one is a ClickHouse setting. */
const HTTP_KEYS = new Set([
  'query', 'database', 'default_format', 'query_id', 'user', 'password', 'quota_key', 'role',
  'enable_http_compression', 'http_zlib_compression_level', 'wait_end_of_query', 'buffer_size',
  'send_progress_in_http_headers', 'http_headers_progress_interval_ms',
]);
const NAME = /^[A-Za-z0-9_]+$/;
const ENGINE_VERSION = version().libchdb.replaceAll('"', '');

/** An error raised before chDB runs, shaped like ClickHouse's. */
class RequestError extends Error {
  constructor(readonly code: number, readonly type: string, message: string, readonly status = 500) {
    super(message);
  }
}

/**
 * Each request gets its own chDB session on `dataDir` (sessions on one path share the data), so
 * settings, `param_*` values and `database` given in the URL stay with that request. Supported:
 * GET/POST `/` with the query in `query` and/or the body (concatenated, as a server does for
 * INSERT data), `param_<name>`, settings, `database`, `default_format`, gzip/deflate/br request
 * bodies and responses (`enable_http_compression=1` + Accept-Encoding), `/ping`. Not supported:
 * sessions (`session_id`), multipart parameters, ClickHouse-native compression, binary bodies.
 */
export async function startClickHouseHttpOnChdb(dataDir: string, listenPort = 0): Promise<ClickHouseHttpOnChdb> {
  mkdirSync(dataDir, { recursive: true });
  const inflight = new Set<Promise<void>>();
  // Held open for the server's life: while one connection to the directory lives, opening the
  // per-request ones is cheap (~1 ms instead of restarting the engine, ~25 ms).
  const anchor = new Session(dataDir);
  // ClickHouse accepts URLs up to 1 MiB (http_max_uri_size); large array params travel there.
  const server = createServer({ maxHeaderSize: 1 << 20 }, (req, res) => {
    const handled = handle(dataDir, req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    });
    inflight.add(handled);
    void handled.finally(() => inflight.delete(handled));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listenPort, '127.0.0.1', () => resolve());
    });
  } catch (e) {
    anchor.close();
    throw e;
  }
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await Promise.all(inflight);
        anchor.close();
        await drainPending();
      })();
      return closing;
    },
  };
}

async function handle(dataDir: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const search = url.searchParams;
  const queryId = search.get('query_id') || randomUUID();
  const encoding = responseEncoding(search, req.headers['accept-encoding']);
  if (url.pathname === '/ping' && (req.method === 'GET' || req.method === 'HEAD')) {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Ok.\n');
    return;
  }
  try {
    if (url.pathname !== '/') throw new RequestError(0, 'HTTP', `There is no handler for ${url.pathname}`, 404);
    if (req.method !== 'GET' && req.method !== 'POST') {
      throw new RequestError(0, 'HTTP', `HTTP method ${req.method} is not allowed`, 405);
    }
    const body = decodeBody(await readAll(req), req.headers['content-encoding']);
    const sql = composeQuery(search.get('query'), body);
    const format = search.get('default_format') || 'TabSeparated';
    const setup = sessionSetup(search);
    const started = process.hrtime.bigint();
    const result = await runOnChdb(dataDir, setup, sql, format);
    const bytes = result.bytes();
    const summary = {
      read_rows: String(result.rowsRead), read_bytes: String(result.bytesRead),
      written_rows: '0', written_bytes: '0', total_rows_to_read: '0',
      result_rows: String(result.rowsRead), result_bytes: String(bytes.byteLength),
      elapsed_ns: String(process.hrtime.bigint() - started),
    };
    send(res, 200, Buffer.from(bytes), encoding, {
      'Content-Type': contentType(format),
      'X-ClickHouse-Query-Id': queryId,
      'X-ClickHouse-Format': format,
      'X-ClickHouse-Timezone': 'UTC',
      'X-ClickHouse-Server-Display-Name': 'chdb',
      'X-ClickHouse-Summary': JSON.stringify(summary),
    });
  } catch (e) {
    const { status, code, text } = describeError(e);
    send(res, status, Buffer.from(`${text}\n`), encoding, {
      'Content-Type': 'text/plain; charset=UTF-8',
      'X-ClickHouse-Query-Id': queryId,
      'X-ClickHouse-Exception-Code': String(code),
    });
  }
}

interface SessionSetup {
  database: string | null;
  /** `name = 'literal'` items for one SET statement: settings and `param_<name>` values. */
  assignments: string[];
}

function sessionSetup(search: URLSearchParams): SessionSetup {
  if (search.has('session_id')) throw new RequestError(115, 'UNKNOWN_SETTING', 'sessions are not supported by the test server');
  if (search.get('decompress') === '1' || search.get('compress') === '1') {
    throw new RequestError(48, 'NOT_IMPLEMENTED', 'ClickHouse-native compression is not supported by the test server');
  }
  const assignments: string[] = [];
  for (const [key, value] of search) {
    if (HTTP_KEYS.has(key) || key === 'session_id' || key === 'compress' || key === 'decompress') continue;
    if (!NAME.test(key)) throw new RequestError(115, 'UNKNOWN_SETTING', `Setting ${key} is neither a builtin setting nor started with the prefix 'param_'`);
    // A param value arrives as ClickHouse text (TSV-escaped top level, quoted inside arrays); SET
    // param_x = '<that text>' hands it to the engine verbatim, exactly as a server would bind it.
    assignments.push(`${key} = ${quoteString(value)}`);
  }
  return { database: search.get('database'), assignments };
}

async function runOnChdb(dataDir: string, setup: SessionSetup, sql: string, format: string) {
  const session = new Session(dataDir);
  try {
    if (setup.database) await session.queryAsync(`USE ${quoteIdentifier(setup.database)}`);
    if (setup.assignments.length > 0) await session.queryAsync(`SET ${setup.assignments.join(', ')}`);
    return await session.queryAsync(sql, { format });
  } finally {
    session.close();
  }
}

function composeQuery(fromUrl: string | null, body: string): string {
  const sql = fromUrl === null ? body : body.length > 0 ? `${fromUrl}\n${body}` : fromUrl;
  if (sql.trim().length === 0) throw new RequestError(62, 'SYNTAX_ERROR', 'Empty query', 400);
  return sql;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function decodeBody(raw: Buffer, encoding: string | undefined): string {
  switch (encoding ?? 'identity') {
    case 'identity': return raw.toString('utf8');
    case 'gzip': return zlib.gunzipSync(raw).toString('utf8');
    case 'deflate': return zlib.inflateSync(raw).toString('utf8');
    case 'br': return zlib.brotliDecompressSync(raw).toString('utf8');
    default: throw new RequestError(48, 'NOT_IMPLEMENTED', `Content-Encoding ${encoding} is not supported by the test server`);
  }
}

type Encoding = 'gzip' | 'deflate' | 'br' | null;

function responseEncoding(search: URLSearchParams, accept: string | undefined): Encoding {
  if (search.get('enable_http_compression') !== '1' || !accept) return null;
  const offered = accept.split(',').map((part) => part.split(';')[0]!.trim());
  return (['gzip', 'br', 'deflate'] as const).find((codec) => offered.includes(codec)) ?? null;
}

function send(res: ServerResponse, status: number, body: Buffer, encoding: Encoding, headers: Record<string, string>): void {
  const payload =
    encoding === 'gzip' ? zlib.gzipSync(body)
    : encoding === 'deflate' ? zlib.deflateSync(body)
    : encoding === 'br' ? zlib.brotliCompressSync(body)
    : body;
  res.writeHead(status, { ...headers, ...(encoding ? { 'Content-Encoding': encoding } : {}) }).end(payload);
}

function contentType(format: string): string {
  return format.startsWith('JSON') ? 'application/json; charset=UTF-8' : 'text/plain; charset=UTF-8';
}

function describeError(e: unknown): { status: number; code: number; text: string } {
  if (e instanceof RequestError) {
    return { status: e.status, code: e.code, text: `Code: ${e.code}. DB::Exception: ${e.message}. (${e.type}) (version ${ENGINE_VERSION})` };
  }
  const message = e instanceof Error ? e.message : String(e);
  const known = /^Code: (\d+)\./.exec(message);
  const fromChdb = (e as { clickhouseCode?: unknown } | null)?.clickhouseCode;
  const code = known ? Number(known[1]) : typeof fromChdb === 'number' ? fromChdb : 1001;
  const text = known ? message : `Code: ${code}. DB::Exception: ${message}. (STD_EXCEPTION)`;
  return { status: 500, code, text: /\(version [^)]*\)\s*$/.test(text) ? text : `${text} (version ${ENGINE_VERSION})` };
}

function quoteString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function quoteIdentifier(name: string): string {
  return `\`${name.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``;
}
