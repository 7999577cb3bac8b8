// Publishes accepted pageviews and events per site to whoever listens (the realtime stream): in process, or through Redis across instances.
import { EventEmitter } from 'node:events';
import { DEFAULT_REDIS_PREFIX, closeRedis, type Redis } from '../stores/redis.js';

export interface LiveEvent {
  site_id: number;
  ts: string;
  type: string;
  name: string;
  pathname: string;
  hostname: string;
  visitor_id: string;
  session_id: string;
  country: string;
  source: string;
  device: string;
}

export interface LiveBus {
  publish(event: LiveEvent): void;
  subscribe(siteId: number, listener: (event: LiveEvent) => void): () => void;
  close(): Promise<void>;
}

export class MemoryLiveBus implements LiveBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(event: LiveEvent): void {
    if (this.emitter.listenerCount(String(event.site_id)) > 0) this.emitter.emit(String(event.site_id), event);
  }

  subscribe(siteId: number, listener: (event: LiveEvent) => void): () => void {
    this.emitter.on(String(siteId), listener);
    return () => this.emitter.off(String(siteId), listener);
  }

  async close(): Promise<void> {}
}

/**
 * Events are PUBLISHed on one channel per site, so a listener on any instance sees the events every
 * instance accepted (its own included, which come back through Redis too). One subscriber connection
 * per process fans messages out to the local listeners; a site's channel is subscribed while it has
 * at least one local listener.
 */
export class RedisLiveBus implements LiveBus {
  private readonly listeners = new Map<number, Set<(event: LiveEvent) => void>>();
  private readonly subscriber: Redis;
  private readonly channelPrefix: string;
  /** The last SUBSCRIBE/UNSUBSCRIBE sent; commands on one connection complete in order. */
  private lastChange: Promise<unknown> = Promise.resolve();
  /** The last PUBLISH sent; Redis has delivered it to the subscribers of that moment once it resolves. */
  private lastPublish: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly opts: { prefix?: string; onError?: (err: Error) => void } = {},
  ) {
    this.channelPrefix = `${opts.prefix ?? DEFAULT_REDIS_PREFIX}live:`;
    // A connection in subscriber mode can run no other command, hence a second one.
    this.subscriber = redis.duplicate();
    this.subscriber.on('error', (err: Error) => opts.onError?.(err));
    this.subscriber.on('message', (channel: string, message: string) => this.deliver(channel, message));
  }

  publish(event: LiveEvent): void {
    this.lastPublish = this.redis.publish(this.channelPrefix + event.site_id, JSON.stringify(event)).catch((err: Error) => this.opts.onError?.(err));
  }

  subscribe(siteId: number, listener: (event: LiveEvent) => void): () => void {
    let set = this.listeners.get(siteId);
    if (!set) {
      set = new Set();
      this.listeners.set(siteId, set);
      this.change(this.subscriber.subscribe(this.channelPrefix + siteId));
    }
    // A wrapper per call, so the same function subscribed twice is also removed twice, as with an EventEmitter.
    const own = (event: LiveEvent) => listener(event);
    set.add(own);
    return () => {
      const current = this.listeners.get(siteId);
      if (!current?.delete(own) || current.size > 0) return;
      this.listeners.delete(siteId);
      this.change(this.subscriber.unsubscribe(this.channelPrefix + siteId));
    };
  }

  /** Resolves once Redis has acknowledged every publish, subscribe and unsubscribe made so far. */
  async settled(): Promise<void> {
    await Promise.all([this.lastChange.catch(() => {}), this.lastPublish.catch(() => {})]);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await closeRedis(this.subscriber);
  }

  private change(command: Promise<unknown>): void {
    this.lastChange = command.catch((err: Error) => this.opts.onError?.(err));
  }

  private deliver(channel: string, message: string): void {
    if (!channel.startsWith(this.channelPrefix)) return;
    const set = this.listeners.get(Number(channel.slice(this.channelPrefix.length)));
    if (!set) return;
    let event: LiveEvent;
    try {
      event = JSON.parse(message) as LiveEvent;
    } catch (err) {
      this.opts.onError?.(err as Error);
      return;
    }
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (err) {
        this.opts.onError?.(err as Error);
      }
    }
  }
}
