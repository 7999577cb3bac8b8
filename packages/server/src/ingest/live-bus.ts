// Publishes accepted pageviews and events per site to whoever listens (the realtime stream), in process.
import { EventEmitter } from 'node:events';

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
}
