// JSON logs on stdout (or a given stream, for tests). Redaction is a second
// line of defence: the code never passes headers or bodies to the logger.
import { pino, type DestinationStream, type Logger } from "pino";

import type { LogLevel } from "../config.js";

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
  return destination ? pino(options, destination) : pino(options);
}
