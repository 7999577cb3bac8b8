// Collects query parameters while SQL is built, so that no value is ever written into the SQL text.
import type { QueryParams } from '../stores/events/event-store.js';

export class SqlParams {
  readonly values: Record<string, string | number | readonly string[]> = {};
  private n = 0;

  /** Registers a value and returns its `{pN:Type}` placeholder. */
  add(value: string | number | readonly string[], type: string): string {
    const name = `p${this.n++}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }

  get asQueryParams(): QueryParams {
    return this.values as QueryParams;
  }
}
