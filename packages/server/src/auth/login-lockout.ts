// Locks an account's password sign-in for a while after many failures, whatever addresses they come from
// (Better Auth's own limit counts per address). In this process; several instances each keep their own count.

export interface LockoutOptions {
  /** Failures within `windowMs` that lock the account. */
  maxFailures: number;
  windowMs: number;
  /** How long the lock lasts. */
  lockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutOptions = { maxFailures: 10, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export class LoginLockout {
  private readonly failures = new Map<string, number[]>();
  private readonly lockedUntil = new Map<string, number>();

  constructor(private readonly opts: LockoutOptions = DEFAULT_LOCKOUT) {}

  private key = (email: string) => email.trim().toLowerCase();

  /** Milliseconds until the account may try again; 0 when it is not locked. */
  lockedFor(email: string, now = Date.now()): number {
    const until = this.lockedUntil.get(this.key(email)) ?? 0;
    return Math.max(0, until - now);
  }

  recordFailure(email: string, now = Date.now()): void {
    const k = this.key(email);
    const recent = (this.failures.get(k) ?? []).filter((t) => now - t < this.opts.windowMs);
    recent.push(now);
    if (recent.length >= this.opts.maxFailures) {
      this.lockedUntil.set(k, now + this.opts.lockMs);
      this.failures.delete(k);
    } else this.failures.set(k, recent);
    if (this.failures.size > 100_000) this.failures.clear();
  }

  recordSuccess(email: string): void {
    this.failures.delete(this.key(email));
  }
}
