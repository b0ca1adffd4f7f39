// What every socket of the service does, whatever its protocol: one log line when
// it opens and one when it closes (never the token), and its close when the
// caller's access token expires.
import { performance } from "node:perf_hooks";

import type { Logger } from "pino";
import type { WebSocket } from "ws";

// setTimeout's longest delay (about 24.8 days); a later expiry is waited for in steps.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Who a socket's log lines name: its request id, and the user once known. */
export interface SocketLogFields {
  request_id: string;
  user_id?: string;
}

/** Run `action` at `when` (ms since the epoch); the returned function cancels it. */
export function runAt(when: number, action: () => void): () => void {
  let timer: NodeJS.Timeout;
  const wait = (): void => {
    const left = when - Date.now();
    timer = left > LONGEST_TIMER_MS ? setTimeout(wait, LONGEST_TIMER_MS) : setTimeout(action, Math.max(0, left));
  };
  wait();
  return () => {
    clearTimeout(timer);
  };
}

/**
 * Log `socket` opening now and closing later, with `who` as it is by then.
 * `onClose` runs at the close, before its line is written.
 */
export function logLifetime(logger: Logger, socket: WebSocket, who: SocketLogFields, onClose?: () => void): void {
  const opened = performance.now();
  logger.info(who, "websocket opened");
  // A peer breaking the protocol (a message over the limit: 1009); ws closes the socket itself.
  socket.on("error", (err) => {
    logger.debug({ ...who, reason: err.message }, "websocket protocol error");
  });
  socket.once("close", (code) => {
    onClose?.();
    const duration = Math.round((performance.now() - opened) * 1000) / 1000;
    logger.info({ ...who, code, duration_ms: duration }, "websocket closed");
  });
}
