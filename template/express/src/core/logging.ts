// JSON logs on stdout (or a given stream, for tests). Redaction is a second
// line of defence: the code never passes headers or bodies to the logger.
import { pino, type DestinationStream, type Logger } from "pino";

import type { LogLevel } from "../settings.js";

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: null,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", "*.password", "*.token", "*.secret"],
      censor: "[redacted]",
    },
  };
  // Written synchronously, line by line: pino's default stdout writes on
  // libuv's thread pool, and its exit hook then flushes what is still buffered on the
  // main thread, so a line still being written could land after (or be lost behind)
  // the last ones before process.exit ("stopped", a fatal start-up error). Costs no
  // measurable CPU per request.
  return pino(options, destination ?? pino.destination({ sync: true }));
}
