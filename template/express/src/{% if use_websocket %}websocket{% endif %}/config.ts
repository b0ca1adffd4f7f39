// The WebSocket endpoint's settings, merged into the service's by src/settings.ts.
import { integer, seconds } from "../core/config.js";

export const websocketSettings = {
  // A protocol ping to each socket this often; one still unanswered at the next ping is dropped.
  WS_PING_SECONDS: seconds(3600).default(25),
  // Open sockets in this process; the next handshake is refused with 503.
  WS_MAX_CONNECTIONS: integer(1, 1_000_000).default(1000),
  // Events waiting to be written to one socket; one more and that socket is closed with 1013.
  WS_QUEUE_SIZE: integer(1, 100_000).default(100),
};
