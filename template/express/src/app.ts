// The application factory: builds the Express app from its dependencies and
// never connects, listens or reads the environment itself (wiring.ts connects,
// server.ts reads the environment and listens). Each task's middlewares, routes
// and error handlers come from its lifespan.ts, in the order wiring.ts keeps.
import express, { type Express, type Router } from "express";

import { API_PREFIX, apiPaths, createApiRouter } from "./api.js";
import { accessLog } from "./core/access-log.js";
import { admission, AdmissionGate } from "./core/admission.js";
import { rateLimit } from "./core/limits.js";
import { notFound, problemHandler } from "./core/problem.js";
import { requestId } from "./core/request-id.js";
import { securityMiddleware } from "./core/security.js";
import { requestTimeout } from "./core/timeout.js";
import { createHealthRouter } from "./health/health.router.js";
import { createOpenApiRouter } from "./openapi.js";
import { TASKS, type AppDeps } from "./wiring.js";

export interface AppOptions {
  /** Mounted after the service's routes and before the 404 fallback (embedding, tests). */
  extraRoutes?: Router;
  /** The API's admission gate; by default one of config.maxConcurrentRequests slots (tests read theirs). */
  admission?: AdmissionGate;
}

export const BODY_LIMIT = "1mb";

export function createApp(deps: AppDeps, options: AppOptions = {}): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  // The client address (rate limits) is the socket's, or the one named in
  // X-Forwarded-For by a proxy on this host, never one a remote client wrote.
  app.set("trust proxy", "loopback");

  app.use(requestId);
  app.use(accessLog(logger));
  app.use(securityMiddleware(config));
  app.use(requestTimeout(config.requestTimeoutSeconds * 1000));
  // After the timeout, whose deadline covers the wait; before anything that does work.
  const api = apiPaths();
  app.use(api, admission(options.admission ?? new AdmissionGate(config.maxConcurrentRequests)));
  for (const task of TASKS) task.beforeLimits?.(app, deps);
  // Before the body parser: a 413 is counted and carries the RateLimit headers too.
  app.use(api, rateLimit(deps.rateLimiter, logger));
  app.use(express.json({ limit: BODY_LIMIT }));

  app.use("/health", createHealthRouter(deps.readiness, logger));
  for (const task of TASKS) task.beforeRoutes?.(app, deps);
  app.use(API_PREFIX, createApiRouter(deps, BODY_LIMIT));
  // After the API: its requests never walk this router.
  app.use(createOpenApiRouter());

  if (options.extraRoutes) app.use(options.extraRoutes);
  app.use(notFound);
  for (const handler of TASKS.flatMap((task) => task.errorHandlers ?? [])) app.use(handler);
  app.use(problemHandler(logger));
  return app;
}
