// The optimize task's settings, merged into the service's by src/settings.ts.
import { z } from "zod";

import { flag } from "../core/config.js";

const milliseconds = () => {
  const error = "must be a number of milliseconds, 0 or more";
  return z.coerce.number({ error }).min(0, { error });
};

export const optimizeSettings = {
  // Database statements slower than this are logged (what they are, never the values sent with them).
  SLOW_QUERY_MS: milliseconds().default(200),
  // X-Query-Count on every response: for development and load tests, off in production.
  QUERY_COUNT_HEADER: flag.default(false),
};
