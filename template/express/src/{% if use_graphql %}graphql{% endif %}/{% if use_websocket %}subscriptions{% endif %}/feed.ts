// Post events on their way to subscriptions: each open subscription has a stream
// with a bounded queue, fed from the bus and read by the protocol one event at a
// time (the next is read once the previous one is written to the socket).
import type { BusEvent } from "../../websocket/bus.js";

/** Subscriptions' streams, each fed the bus's events that its filter lets through. */
export class PostEventFeed {
  private readonly streams = new Set<EventStream>();

  constructor(private readonly queueSize: number) {}

  get size(): number {
    return this.streams.size;
  }

  deliver(event: BusEvent): void {
    for (const stream of this.streams) stream.offer(event);
  }

  /**
   * A stream of `authorId`'s events (null: every author's) until its return();
   * `overflow` runs when it holds queueSize events and one more comes.
   */
  open(authorId: string | null, overflow: () => void): AsyncIterableIterator<BusEvent> {
    const stream = new EventStream(authorId, this.queueSize, overflow, () => this.streams.delete(stream));
    this.streams.add(stream);
    return stream;
  }
}

class EventStream implements AsyncIterableIterator<BusEvent> {
  private readonly queue: BusEvent[] = [];
  /** The reader waiting for the next event, when the queue is empty. */
  private waiting: ((result: IteratorResult<BusEvent>) => void) | undefined;
  private ended = false;

  constructor(
    private readonly authorId: string | null,
    private readonly queueSize: number,
    private readonly overflow: () => void,
    private readonly unregister: () => void,
  ) {}

  offer(event: BusEvent): void {
    if (this.ended || (this.authorId !== null && this.authorId !== event.authorId)) return;
    const reader = this.waiting;
    if (reader) {
      this.waiting = undefined;
      reader({ value: event, done: false });
    } else if (this.queue.length < this.queueSize) this.queue.push(event);
    else {
      // Never unbounded: the subscription is cut rather than its events kept.
      this.end();
      this.overflow();
    }
  }

  next(): Promise<IteratorResult<BusEvent>> {
    const event = this.queue.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<BusEvent>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<BusEvent> {
    return this;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.length = 0;
    this.unregister();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
  }
}
