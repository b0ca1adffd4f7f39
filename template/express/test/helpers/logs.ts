import type { Logger } from "pino";

import { createLogger } from "../../src/core/logging.js";

export interface CapturedLogs {
  logger: Logger;
  /** Every line written so far, raw. */
  text(): string;
  /** Every line written so far, parsed. */
  records(): Record<string, unknown>[];
}

/** A real pino logger writing into memory instead of stdout. */
export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  const logger = createLogger("info", {
    write(line: string) {
      lines.push(line);
    },
  });
  return {
    logger,
    text: () => lines.join(""),
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
