// Admission control: at most MAX_CONCURRENT_REQUESTS API requests of this
// process run at once. Under a burst the rest wait here, in arrival order,
// instead of all contending at the same time for the CPU and for the
// connections (PostgreSQL, Redis) where the service has them.
// A freed slot goes straight to the oldest waiter, never to a newcomer. A waiter
// that was answered (the request timeout's 503) or abandoned (the client went
// away) leaves the queue and never takes a slot: only requests that run hold one,
// each until its response closes.
import { AsyncResource } from "node:async_hooks";

import type { NextFunction, RequestHandler } from "express";

/** What the gate needs of a response: whether it is over, and its one 'close'. */
export interface Admittable {
  readonly writableEnded: boolean;
  readonly destroyed: boolean;
  once(event: "close", listener: () => void): unknown;
}

const QUEUED = 0;
const ADMITTED = 1;
const GONE = 2;

// A waiting request, linked to its neighbours in the queue. It is an
// AsyncResource so that it runs, once admitted, in its own async context
// (AsyncLocalStorage) rather than in that of the request that freed the slot.
class Waiter extends AsyncResource {
  state: typeof QUEUED | typeof ADMITTED | typeof GONE = QUEUED;
  previous: Waiter | undefined;
  following: Waiter | undefined;

  constructor(
    readonly res: Admittable,
    readonly proceed: NextFunction,
  ) {
    super("Admission");
  }
}

export class AdmissionGate {
  readonly limit: number;
  #active = 0;
  #waiting = 0;
  #oldest: Waiter | undefined;
  #newest: Waiter | undefined;
  // The 'close' listener of every request admitted without waiting: one
  // function for all of them, since a slot is all such a request holds.
  readonly #release = (): void => {
    this.#handOver();
  };

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`limit must be a whole number above 0, not ${String(limit)}`);
    }
    this.limit = limit;
  }

  /** Requests running past the gate now. */
  get active(): number {
    return this.#active;
  }

  /** Requests waiting for a slot now. */
  get waiting(): number {
    return this.#waiting;
  }

  /** Run `next` now if a slot is free, or once one is handed to this request. */
  enter(res: Admittable, next: NextFunction): void {
    // Already answered or abandoned: there is nothing left to run, and its
    // 'close' may have been emitted already, so a slot taken now would leak.
    if (res.writableEnded || res.destroyed) return;
    if (this.#active < this.limit) {
      this.#active++;
      // 'close' follows both the end of the response and a client that went
      // away, once: the slot is released exactly once.
      res.once("close", this.#release);
      next();
      return;
    }
    const waiter = new Waiter(res, next);
    if (this.#newest) this.#newest.following = waiter;
    else this.#oldest = waiter;
    waiter.previous = this.#newest;
    this.#newest = waiter;
    this.#waiting++;
    res.once("close", () => {
      this.#closed(waiter);
    });
  }

  #closed(waiter: Waiter): void {
    const state = waiter.state;
    waiter.state = GONE;
    if (state === QUEUED) this.#unlink(waiter);
    else if (state === ADMITTED) this.#handOver();
  }

  /** A slot is free: it goes to the oldest waiter that can still use it, or back to the gate. */
  #handOver(): void {
    for (let waiter = this.#oldest; waiter; waiter = this.#oldest) {
      this.#unlink(waiter);
      // Over before its 'close' arrived (e.g. the timeout's 503 is still being written).
      if (waiter.res.writableEnded || waiter.res.destroyed) {
        waiter.state = GONE;
        continue;
      }
      waiter.state = ADMITTED;
      waiter.runInAsyncScope(waiter.proceed);
      return;
    }
    this.#active--;
  }

  #unlink(waiter: Waiter): void {
    if (waiter.previous) waiter.previous.following = waiter.following;
    else this.#oldest = waiter.following;
    if (waiter.following) waiter.following.previous = waiter.previous;
    else this.#newest = waiter.previous;
    waiter.previous = waiter.following = undefined;
    this.#waiting--;
  }
}

/** The gate as Express middleware: mount it where the waiting should start. */
export function admission(gate: AdmissionGate): RequestHandler {
  return (_req, res, next) => {
    gate.enter(res, next);
  };
}
