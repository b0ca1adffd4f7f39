// Liveness says the process serves requests; readiness says its dependencies
// answer. Every check runs in parallel under one deadline, so a dead dependency
// turns the probe into a 503 instead of hanging it.
import { Router } from "express";
import type { Logger } from "pino";

import { describeError } from "../core/errors.js";
import { methodNotAllowed } from "../core/problem.js";
import { withTimeout } from "../core/timeout.js";

/** Resolves when the dependency answers; any rejection marks it "error". */
export type HealthCheck = () => Promise<unknown>;

export type CheckStatus = "ok" | "error";

export interface Readiness {
  status: CheckStatus;
  checks: Record<string, CheckStatus>;
}

export const READINESS_TIMEOUT_MS = 2_000;

export async function checkReadiness(
  checks: Record<string, HealthCheck>,
  logger: Logger,
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<Readiness> {
  const entries = Object.entries(checks);
  const results = await Promise.allSettled(
    entries.map(([name, check]) => withTimeout(Promise.resolve().then(check), timeoutMs, `${name} check`)),
  );
  const report: Record<string, CheckStatus> = {};
  entries.forEach(([name], index) => {
    const result = results[index];
    report[name] = result?.status === "fulfilled" ? "ok" : "error";
    if (result?.status === "rejected") {
      logger.warn({ check: name, reason: describeError(result.reason) }, "readiness check failed");
    }
  });
  const healthy = Object.values(report).every((status) => status === "ok");
  return { status: healthy ? "ok" : "error", checks: report };
}

export function createHealthRouter(checks: Record<string, HealthCheck>, logger: Logger): Router {
  const router = Router();
  router
    .route("/live")
    .get((_req, res) => {
      res.json({ status: "ok" });
    })
    .all(methodNotAllowed("GET"));
  router
    .route("/ready")
    .get(async (_req, res) => {
      const readiness = await checkReadiness(checks, logger);
      res.status(readiness.status === "ok" ? 200 : 503).json(readiness);
    })
    .all(methodNotAllowed("GET"));
  return router;
}
