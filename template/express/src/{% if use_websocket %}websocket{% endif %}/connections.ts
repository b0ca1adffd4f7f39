// The open sockets of this process: how many there may be, what each one waits to
// be sent, whose events it wants, and whether its peer still answers pings.
import { WebSocket } from "ws";

import type { BusEvent, Listener } from "./bus.js";
import type { ServerMessage } from "./messages.js";

export const GOING_AWAY = 1001;
export const TRY_AGAIN_LATER = 1013;

/** How long a socket closed at shut-down may take to answer before it is cut. */
const CLOSE_GRACE_MS = 5_000;

export interface ConnectionLimits {
  wsMaxConnections: number;
  wsQueueSize: number;
  wsPingSeconds: number;
}

/** One open socket. */
export class Subscriber {
  /** Whose events.v1 messages it gets: one author's, or every author's (null). */
  authorId: string | null = null;
  /** Messages handed to the socket and not yet written out: its queue. */
  private queued = 0;
  /** Whether the peer answered the last ping. */
  private alive = true;

  constructor(
    readonly socket: WebSocket,
    private readonly queueSize: number,
    /** Whether events.v1 messages are delivered to it (a socket of another protocol feeds itself). */
    readonly receivesEvents: boolean,
  ) {
    socket.on("pong", () => {
      this.alive = true;
    });
  }

  /**
   * Queue `text` for the peer. A peer that does not read fills its queue: one
   * more message closes it with 1013, and nothing more is kept for it.
   */
  send(text: string): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.queued >= this.queueSize) {
      this.socket.close(TRY_AGAIN_LATER, "Too slow: events were dropped");
      return;
    }
    this.queued += 1;
    this.socket.send(text, () => {
      this.queued -= 1;
    });
  }

  reply(message: ServerMessage): void {
    this.send(JSON.stringify(message));
  }

  /** A ping, or the end of a peer that left the previous one unanswered. */
  heartbeat(): void {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }
}

export class Connections {
  private readonly open = new Set<Subscriber>();
  private readonly listeners: Listener[] = [];
  private stopping = false;
  private readonly pinger: NodeJS.Timeout;
  /** Event streams open now that are not sockets (another API style's), counted in the same limit. */
  private streams = 0;

  constructor(private readonly limits: ConnectionLimits) {
    this.pinger = setInterval(() => {
      for (const subscriber of this.open) subscriber.heartbeat();
    }, limits.wsPingSeconds * 1000);
    // The sockets keep the process running, not their pings.
    this.pinger.unref();
  }

  get size(): number {
    return this.open.size;
  }

  /** Whether one more socket may open now: under the limit, and not shutting down. */
  hasRoom(): boolean {
    return !this.stopping && this.open.size + this.streams < this.limits.wsMaxConnections;
  }

  /** Count a stream that is not a socket in the limit: the function that uncounts it, or undefined without room. */
  admit(): (() => void) | undefined {
    if (!this.hasRoom()) return undefined;
    this.streams += 1;
    let counted = true;
    return () => {
      if (counted) this.streams -= 1;
      counted = false;
    };
  }

  /** Count, ping and close `socket` with the others; `events: false` for one that does not speak events.v1. */
  add(socket: WebSocket, { events = true }: { events?: boolean } = {}): Subscriber {
    const subscriber = new Subscriber(socket, this.limits.wsQueueSize, events);
    this.open.add(subscriber);
    socket.once("close", () => {
      this.open.delete(subscriber);
    });
    return subscriber;
  }

  /** Fan-out: the event to every events.v1 socket that wants it, serialised once, then to each listener. */
  deliver(event: BusEvent): void {
    const text = JSON.stringify(event.message);
    for (const subscriber of this.open) {
      if (!subscriber.receivesEvents) continue;
      if (subscriber.authorId === null || subscriber.authorId === event.authorId) subscriber.send(text);
    }
    for (const listener of this.listeners) listener(event);
  }

  /** Another protocol's sockets hear the events delivered here too, through `listener`. */
  listen(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** Shut-down: no new socket, every open one closed with 1001, and cut if its peer does not answer. */
  closeAll(reason: string): void {
    this.stopping = true;
    clearInterval(this.pinger);
    for (const { socket } of this.open) {
      socket.close(GOING_AWAY, reason);
      setTimeout(() => {
        socket.terminate();
      }, CLOSE_GRACE_MS).unref();
    }
  }

  /** The dependencies are closing: no more pings. */
  stop(): void {
    clearInterval(this.pinger);
  }
}
