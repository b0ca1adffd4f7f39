// The entry point: the only module that reads .env, connects, listens and
// handles signals. Nothing imports it.
import { createServer } from "node:http";

import dotenv from "dotenv";
import type { Logger } from "pino";

import { createApp } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./settings.js";
import { createLogger } from "./core/logging.js";
import { attachTasks, beginShutdown, listenTasks, openDependencies } from "./wiring.js";

const IDLE_REAP_INTERVAL_MS = 100;

function readConfig(): Config {
  // `.env` fills in only what the environment does not already set.
  dotenv.config({ quiet: true });
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

async function main(config: Config, logger: Logger): Promise<void> {
  const dependencies = await openDependencies({ config, logger });
  const app = createApp(dependencies.deps);
  // Node's own limits on receiving a request, next to the app's limit on answering it.
  const requestTimeout = Math.ceil(config.requestTimeoutSeconds * 1000);
  const headersTimeout = Math.min(60_000, requestTimeout);
  const server = createServer({ requestTimeout, headersTimeout }, app);
  attachTasks(server, dependencies.deps, app);
  // A task's own server (on its own port) first: once HTTP listens, the service is all up.
  const stopListeners = await listenTasks(dependencies.deps);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, resolve);
  });
  logger.info({ host: config.host, port: config.port }, "listening");

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    // First, while every connection is still open: a task closes what the server cannot
    // (WebSocket connections) with its own goodbye.
    beginShutdown(dependencies.deps);
    // Stop accepting, then let in-flight requests finish: a keep-alive
    // connection is closed as soon as it has no request in flight.
    const closed = new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
    server.closeIdleConnections();
    const reaper = setInterval(() => {
      server.closeIdleConnections();
    }, IDLE_REAP_INTERVAL_MS);
    const force = setTimeout(() => {
      logger.warn("grace period over; closing remaining connections");
      server.closeAllConnections();
    }, config.shutdownTimeoutSeconds * 1000);
    // The tasks' own servers drain beside the HTTP server.
    const drained = Promise.all([closed, ...stopListeners.map((stop) => stop())]);
    void drained
      .then(() => {
        clearInterval(reaper);
        clearTimeout(force);
        return dependencies.close();
      })
      .then(() => {
        // On stdout before exit: the logger writes synchronously (core/logging.ts).
        logger.info("stopped");
        process.exit(0);
      });
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

const config = readConfig();
const logger = createLogger(config.logLevel);
main(config, logger).catch((err: unknown) => {
  // The message names what failed; the stack is only for debugging.
  logger.debug({ err }, "start-up failure details");
  logger.fatal(err instanceof Error ? err.message : `start-up failed: ${String(err)}`);
  process.exit(1);
});
