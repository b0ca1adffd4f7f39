// The optimize task's part of the service: the database's statements timed and
// counted, HTTP caching with ETags and compression of large answers.
import { API_PREFIX } from "../api.js";
import type { Task } from "../wiring.js";
import { compressAccepted, etags, queryCount } from "./middleware.js";
import { conditionalGets } from "./optimize.openapi.js";
import { watchStatements } from "./statements.js";

// Smaller answers are sent as they are: gzip would save too little to pay for itself.
export const GZIP_MINIMUM_BYTES = 1024;

export const lifespan: Task = {
  /** Time and count the statements of the database the database task opened before. */
  open(deps) {
    watchStatements(deps, { slowQueryMs: deps.config.slowQueryMs, logger: deps.logger });
    return Promise.resolve();
  },
  beforeLimits(app, { config }) {
    app.use(queryCount({ header: config.queryCountHeader }));
    // Compression wraps the body's writes, ETags the send before them: tags are of the uncompressed body.
    app.use(compressAccepted(GZIP_MINIMUM_BYTES));
    app.use(API_PREFIX, etags);
  },
  amendments: () => [conditionalGets(API_PREFIX)],
};
