// Where published post events go before they reach the sockets: every listener of
// every instance that shares the bus gets each event once, or not at all (at most once).
import type { Logger } from "pino";

import { describeError } from "../core/errors.js";
import type { ServerMessage } from "./messages.js";

/** A change to a post, as it travels between instances. */
export interface BusEvent {
  /** Whose post it is: what a socket's author filter compares. */
  authorId: string;
  message: ServerMessage;
}

export type Listener = (event: BusEvent) => void;

export interface EventBus {
  /** Hand `event` on; never rejects (a failure is logged and the event dropped). */
  publish(event: BusEvent): Promise<void>;
  subscribe(listener: Listener): void;
}

/** One process's bus: each event goes to its listeners at once, within `publish`. */
export class LocalBus implements EventBus {
  private readonly listeners: Listener[] = [];

  constructor(private readonly logger: Logger) {}

  publish(event: BusEvent): Promise<void> {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        // One listener's failure is not the publisher's, nor the next listener's.
        this.logger.warn({ reason: describeError(err) }, "post event listener failed");
      }
    }
    return Promise.resolve();
  }

  subscribe(listener: Listener): void {
    this.listeners.push(listener);
  }
}
