// Makes accepted rows durable in a local spool before the 202, then batches them into the events store.
import { closeSync, fdatasyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { EventStore } from '../stores/events/event-store.js';
import { EventStoreError } from '../stores/events/store-error.js';

/**
 * ClickHouse errors that say the rows themselves cannot be inserted: retrying the same segment would
 * block the spool forever, so such a segment is set aside in `rejected/` for a person to look at.
 */
const DATA_ERROR_TYPES = new Set([
  'INCORRECT_DATA',
  'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
  'CANNOT_PARSE_TEXT',
  'CANNOT_PARSE_NUMBER',
  'CANNOT_PARSE_DATETIME',
  'CANNOT_PARSE_DATE',
  'CANNOT_PARSE_QUOTED_STRING',
  'CANNOT_PARSE_ESCAPE_SEQUENCE',
  'CANNOT_READ_ALL_DATA',
  'TYPE_MISMATCH',
  'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE',
  'CANNOT_CONVERT_TYPE',
  'UNKNOWN_FIELD',
]);

export function isRowDataError(err: unknown): boolean {
  return err instanceof EventStoreError && err.type !== undefined && DATA_ERROR_TYPES.has(err.type);
}

export interface DurableWriterOptions {
  /** Spool folder for this table; created when missing. */
  dir: string;
  table: string;
  store: EventStore;
  /** Seal and insert a segment once it holds this many rows... */
  maxRows?: number;
  /** ...or this many milliseconds after its first row. */
  flushIntervalMs?: number;
  onError?: (err: unknown, attempt: number) => void;
}

interface Segment {
  name: string;
  fd: number;
  rows: number;
  openedAt: number;
}

const OPEN_SUFFIX = '.open';
const READY_SUFFIX = '.ready';

/**
 * Segment files move through `<name>.open` (being appended to) → `<name>.ready` (sealed, waiting for
 * ClickHouse) → deleted (inserted). The segment name is the insert's deduplication token, so a retry
 * after a crash between "inserted" and "deleted" does not double the rows.
 */
export class DurableWriter {
  private current: Segment | undefined;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private retryDelayMs = 0;
  private closed = false;
  private readonly maxRows: number;
  private readonly flushIntervalMs: number;
  /** Rows accepted since start; the benchmark and tests read it. */
  acceptedRows = 0;
  insertedRows = 0;

  constructor(private readonly opts: DurableWriterOptions) {
    this.maxRows = opts.maxRows ?? 5000;
    this.flushIntervalMs = opts.flushIntervalMs ?? 1000;
    mkdirSync(opts.dir, { recursive: true });
  }

  /** Seals what an earlier process left open and inserts every sealed segment. */
  async start(): Promise<void> {
    for (const file of readdirSync(this.opts.dir)) {
      if (file.endsWith(OPEN_SUFFIX)) {
        const name = file.slice(0, -OPEN_SUFFIX.length);
        renameSync(path.join(this.opts.dir, file), path.join(this.opts.dir, name + READY_SUFFIX));
      }
    }
    this.timer = setInterval(() => this.tick(), Math.min(250, this.flushIntervalMs));
    this.timer.unref();
    await this.drain();
  }

  /** Appends rows to the spool. When this returns, the rows survive a crash of this process. */
  append(rows: readonly object[]): void {
    if (this.closed) throw new Error('writer is closed');
    if (rows.length === 0) return;
    let text = '';
    for (const row of rows) text += JSON.stringify(row) + '\n';
    const seg = this.current ?? (this.current = this.openSegment());
    const buf = Buffer.from(text);
    let off = 0;
    while (off < buf.length) off += writeSync(seg.fd, buf, off);
    seg.rows += rows.length;
    this.acceptedRows += rows.length;
    if (seg.rows >= this.maxRows) this.sealAndDrain();
  }

  /** Rows accepted but not yet confirmed by the events store. */
  get pendingSegments(): number {
    return this.readySegments().length + (this.current ? 1 : 0);
  }

  /** Seals the current segment and waits until every sealed segment is in the store (or throws). */
  async flush(): Promise<void> {
    this.seal();
    await this.drain();
    if (this.readySegments().length > 0) throw new Error(`${this.opts.table}: spool not fully inserted yet`);
  }

  /** Flushes what it can within `timeoutMs`, then stops; unflushed segments are replayed at next start. */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.seal();
    await Promise.race([this.drain(), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  private tick(): void {
    const seg = this.current;
    if (seg && Date.now() - seg.openedAt >= this.flushIntervalMs) this.sealAndDrain();
    else if (!this.draining && this.retryDelayMs === 0 && this.readySegments().length > 0) void this.drain();
  }

  private sealAndDrain(): void {
    this.seal();
    void this.drain();
  }

  private openSegment(): Segment {
    // Time-ordered names keep replay in arrival order; the random tail makes each a unique dedup token.
    const name = `${Date.now().toString().padStart(15, '0')}-${randomBytes(6).toString('hex')}`;
    const fd = openSync(path.join(this.opts.dir, name + OPEN_SUFFIX), 'a');
    return { name, fd, rows: 0, openedAt: Date.now() };
  }

  private seal(): void {
    const seg = this.current;
    if (!seg) return;
    this.current = undefined;
    fdatasyncSync(seg.fd);
    closeSync(seg.fd);
    renameSync(path.join(this.opts.dir, seg.name + OPEN_SUFFIX), path.join(this.opts.dir, seg.name + READY_SUFFIX));
  }

  private readySegments(): string[] {
    return readdirSync(this.opts.dir)
      .filter((f) => f.endsWith(READY_SUFFIX))
      .sort();
  }

  /** Inserts sealed segments one by one, oldest first; one drain at a time. */
  private drain(): Promise<void> {
    if (!this.draining) {
      this.draining = this.insertReady().finally(() => {
        this.draining = undefined;
      });
    }
    return this.draining;
  }

  private async insertReady(): Promise<void> {
    let attempt = 0;
    for (;;) {
      const file = this.readySegments()[0];
      if (!file) return;
      const full = path.join(this.opts.dir, file);
      const body = readFileSync(full);
      const token = `${this.opts.table}:${file.slice(0, -READY_SUFFIX.length)}`;
      try {
        if (body.length > 0) await this.opts.store.insertJsonEachRow(this.opts.table, body, token);
        unlinkSync(full);
        this.insertedRows += countLines(body);
        this.retryDelayMs = 0;
        attempt = 0;
      } catch (err) {
        attempt++;
        this.opts.onError?.(err, attempt);
        if (isRowDataError(err)) {
          const rejected = path.join(this.opts.dir, 'rejected');
          mkdirSync(rejected, { recursive: true });
          renameSync(full, path.join(rejected, file));
          continue;
        }
        if (this.closed) return;
        // Back off (0.5 s doubling to 30 s) while the spool keeps accepting rows.
        this.retryDelayMs = Math.min(30_000, 500 * 2 ** Math.min(attempt - 1, 6));
        await new Promise((r) => setTimeout(r, this.retryDelayMs).unref());
        this.retryDelayMs = 0;
      }
    }
  }
}

function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
}
