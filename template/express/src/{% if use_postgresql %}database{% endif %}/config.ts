// The database task's settings, merged into the service's by src/settings.ts.
import { z } from "zod";

import { integer, required, seconds } from "../core/config.js";

const postgresUrl = z
  .string(required)
  .refine((value) => /^postgres(ql)?:\/\/[^/\s]+\/[^/?\s]+(\?\S*)?$/.test(value) && URL.canParse(value), {
    message: "must look like postgresql://user:pass@host:port/db",
  });

export const databaseSettings = {
  DATABASE_URL: postgresUrl,
  DB_POOL_SIZE: integer(1, 1000).default(10),
  // How long a request waits for a pooled connection before it is answered 503.
  DB_POOL_TIMEOUT_SECONDS: seconds(3600).default(5),
};
