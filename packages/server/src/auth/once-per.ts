// "At most once per interval per id": keeps a busy API key or share link from writing its last-used time on every request.

export class OncePer {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly maxIds = 10_000,
  ) {}

  /** True (and remembered) when `id` has not been due within the interval. */
  due(id: string, now: number): boolean {
    if (now - (this.last.get(id) ?? -Infinity) < this.intervalMs) return false;
    // Forgetting everything only means one extra write per id: a bounded map is worth it.
    if (this.last.size >= this.maxIds) this.last.clear();
    this.last.set(id, now);
    return true;
  }
}
