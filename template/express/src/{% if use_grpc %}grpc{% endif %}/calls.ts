// What every call goes through, once, whatever its method: the request id (sent back
// in the initial metadata; by a stream once it is listening), the deadline ceiling, the rate limit, the caller from the
// `authorization` metadata, the error → status table (status.ts) and one access line.
import { performance } from "node:perf_hooks";

import {
  Metadata,
  status,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type ServerUnaryCall,
  type ServerWritableStream,
} from "@grpc/grpc-js";
import type { Logger } from "pino";
import type { RateLimiterAbstract } from "rate-limiter-flexible";

import { countRequest } from "../core/limits.js";
import { requestIdOf } from "../core/request-id.js";
import { formatSeconds } from "../core/timeout.js";
import type { User } from "../users/users.repository.js";
import { CancelledError, DeadlineError, statusOf, type CallStatus } from "./status.js";

/** A call's locals: as a request's res.locals, open to what each task puts there. */
export type CallLocals = Express.Locals & Record<string, unknown>;

/** What a handler gets beside its request: the call's locals, as REST's res.locals. */
export interface CallContext {
  /** Its request id, and once known its caller; its caches and event publisher. */
  locals: CallLocals;
  /** The caller the `authorization` metadata names; UNAUTHENTICATED without a valid one. */
  caller(): Promise<User>;
  /** Aborted when the call is cancelled or its deadline passes: streams stop on it. */
  signal: AbortSignal;
  /** The access token of the `authorization` metadata, if any. */
  token: string | undefined;
  /** A stream's handler says it is listening: its initial metadata goes out now, so a
   * client holding it misses no event. Unary calls have sent it already. */
  ready(): void;
}

/** Who a bearer token speaks for, with `locals`' caches; rejects as REST's 401 does. */
export type Authenticate = (token: string | undefined, locals: CallLocals) => Promise<User>;

export interface CallsOptions {
  logger: Logger;
  rateLimiter: RateLimiterAbstract;
  /** The longest any call runs (REQUEST_TIMEOUT_SECONDS), whatever deadline the client set. */
  timeoutMs: number;
  /** Gives a call's locals what a request's middlewares give res.locals; returns what runs once it ends. */
  prepare?: (locals: CallLocals) => (() => void) | undefined;
  /** Without sign-in (no auth), absent: no method asks for a caller. */
  authenticate?: Authenticate;
  /** Runs each call's work within what watches it (a statement counter); by default, as it is. */
  measure?: <T>(work: () => Promise<T>, locals: CallLocals, trailers: Record<string, string>) => Promise<T>;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The client address of a peer such as "ipv4:127.0.0.1:5000" or "ipv6:[::1]:5000", as REST keys it. */
export function peerAddress(peer: string): string {
  const address = peer.replace(/^ipv[46]:/, "");
  const bracketed = /^\[([^\]]+)\]/.exec(address);
  if (bracketed?.[1]) return bracketed[1];
  const colon = address.lastIndexOf(":");
  return colon > 0 && address.indexOf(":") === colon ? address.slice(0, colon) : address;
}

function firstText(metadata: Metadata, key: string): string | undefined {
  const [value] = metadata.get(key);
  return typeof value === "string" ? value : undefined;
}

function metadataOf(fields: Record<string, string>): Metadata {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(fields)) metadata.set(key, value);
  return metadata;
}

/** One call's life: everything around its handler, from its first byte to its access line. */
class CallRun {
  readonly started = performance.now();
  readonly controller = new AbortController();
  readonly locals: CallLocals;
  /** Trailing metadata what watches the call adds, on any outcome. */
  readonly trailers: Record<string, string> = {};
  private readonly finish: (() => void) | undefined;
  private readonly timer: NodeJS.Timeout;
  private logged = false;
  private announced = false;

  constructor(
    private readonly options: CallsOptions,
    private readonly call: ServerUnaryCall<unknown, unknown>,
    /** A unary call; a stream has no REQUEST_TIMEOUT_SECONDS (it lasts as long as its client
     * wants) and sends its initial metadata once its handler is ready. */
    unary: boolean,
  ) {
    const requestId = requestIdOf({ "x-request-id": firstText(call.metadata, "x-request-id") });
    this.locals = { requestId };
    if (unary) this.announce();
    this.finish = options.prepare?.(this.locals);
    // The client's deadline or the service's ceiling, whichever comes first.
    const clientLeft = call.getDeadline().valueOf() - Date.now();
    const left = Math.min(clientLeft, unary ? options.timeoutMs : Infinity);
    // setTimeout's longest delay; a stream without a deadline waits for its client.
    const delay = Math.min(Math.max(0, left), 2 ** 31 - 1);
    this.timer = setTimeout(() => {
      this.controller.abort(
        new DeadlineError(`The call did not complete within ${formatSeconds(left / 1000)} seconds.`),
      );
    }, delay);
    this.timer.unref();
    call.once("cancelled", () => {
      this.controller.abort(
        Date.now() >= call.getDeadline().valueOf() ? new DeadlineError("Deadline exceeded") : new CancelledError(),
      );
    });
  }

  /** The initial metadata (the request id), once; errors included, it goes out before any status. */
  announce(): void {
    if (this.announced) return;
    this.announced = true;
    const initial = new Metadata();
    initial.set("x-request-id", this.locals.requestId);
    this.call.sendMetadata(initial);
  }

  context(): CallContext {
    const { locals, options, call } = this;
    let caller: Promise<User> | undefined;
    const token = BEARER.exec(firstText(call.metadata, "authorization") ?? "")?.[1];
    return {
      locals,
      signal: this.controller.signal,
      token,
      ready: () => {
        this.announce();
      },
      caller: () => {
        caller ??= (async () => {
          if (!options.authenticate) throw new Error("no sign-in in this service");
          const user = await options.authenticate(token, locals);
          locals.userId = user.id;
          return user;
        })();
        return caller;
      },
    };
  }

  /** The rate limit first: a call over it does no work. Then `work`, raced against the deadline. */
  async run<T>(work: (context: CallContext) => Promise<T>): Promise<T> {
    const { options } = this;
    await countRequest(options.rateLimiter, options.logger, peerAddress(this.call.getPeer()));
    const signal = this.controller.signal;
    signal.throwIfAborted();
    const aborted = new Promise<never>((_resolve, reject) => {
      signal.addEventListener("abort", () => {
        reject(signal.reason as Error);
      });
    });
    const context = this.context();
    const measured = options.measure ? options.measure(() => work(context), this.locals, this.trailers) : work(context);
    return Promise.race([measured, aborted]);
  }

  /** The status `err` ends the call with; an unexpected one is logged with its stack. */
  failure(err: unknown): CallStatus {
    const ended = statusOf(err);
    if (ended.code === status.INTERNAL) {
      this.options.logger.error({ err, request_id: this.locals.requestId }, "call failed");
    }
    return ended;
  }

  end(code: status): void {
    if (this.logged) return;
    this.logged = true;
    clearTimeout(this.timer);
    this.controller.abort(new DeadlineError("The call ended."));
    this.finish?.();
    const { locals } = this;
    this.options.logger.info(
      {
        rpc: this.call.getPath(),
        code: status[code],
        duration_ms: Math.round((performance.now() - this.started) * 1000) / 1000,
        request_id: locals.requestId,
        ...(typeof locals.userId === "string" ? { user_id: locals.userId } : {}),
      },
      "rpc",
    );
  }
}

export type Unary<Request, Response> = (request: Request, context: CallContext) => Promise<Response>;
export type ServerStream<Request, Response> = (
  request: Request,
  context: CallContext,
  stream: ServerWritableStream<Request, Response>,
) => Promise<void>;

/** Wraps each method's handler; one instance per server. */
export class Calls {
  // Unary calls under way, and who waits for there to be none (a shut-down).
  private inFlight = 0;
  private idle: (() => void)[] = [];

  constructor(private readonly options: CallsOptions) {}

  /** Resolves once no unary call is under way (streams do not count: they never finish by themselves). */
  drained(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  unary<Request, Response>(handler: Unary<Request, Response>): handleUnaryCall<Request, Response> {
    return (call, callback) => {
      const run = new CallRun(this.options, call, true);
      this.inFlight += 1;
      run
        .run((context) => handler(call.request, context))
        .then(
          (response) => {
            run.end(status.OK);
            callback(null, response, metadataOf(run.trailers));
          },
          (err: unknown) => {
            const ended = run.failure(err);
            run.end(ended.code);
            const trailers = metadataOf({ ...run.trailers, ...ended.trailers });
            callback({ code: ended.code, details: ended.details, metadata: trailers });
          },
        )
        .finally(() => {
          this.inFlight -= 1;
          if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
        });
    };
  }

  /** A server stream: the handler writes to it and resolves when it is done, or rejects with its end. */
  stream<Request, Response>(handler: ServerStream<Request, Response>): handleServerStreamingCall<Request, Response> {
    return (call) => {
      const run = new CallRun(this.options, call, false);
      run
        .run((context) => handler(call.request, context, call))
        .then(
          () => {
            run.announce();
            run.end(status.OK);
            call.end();
          },
          (err: unknown) => {
            const ended = run.failure(err);
            run.announce();
            run.end(ended.code);
            // grpc-js ends a server stream with the status of the error it is given.
            call.emit("error", { code: ended.code, details: ended.details, metadata: metadataOf(ended.trailers) });
          },
        );
    };
  }
}
