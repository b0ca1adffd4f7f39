// grpc.health.v1.Health kept in step with readiness: the checks of /health/ready run
// every GRPC_HEALTH_CHECK_SECONDS, and each service is SERVING while they pass.
import { HealthImplementation, type ServingStatus } from "grpc-health-check";
import type { Logger } from "pino";

import { checkReadiness, type HealthCheck } from "../health/health.router.js";

export interface Readiness {
  health: HealthImplementation;
  /** Shut-down: every service NOT_SERVING at once, and no more checks. */
  enterShutdown(): void;
}

/** `services` ("" is the whole server) SERVING or NOT_SERVING as `checks` pass or fail. */
export function watchReadiness(
  services: readonly string[],
  checks: Record<string, HealthCheck>,
  logger: Logger,
  intervalMs: number,
): Readiness {
  // NOT_SERVING until the first checks pass: a client asking at once waits for them.
  const health = new HealthImplementation(Object.fromEntries(services.map((name) => [name, "NOT_SERVING"])));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: ServingStatus = "NOT_SERVING";
  // Only a change is set: Watch streams hear each status set, changed or not.
  const set = (status: ServingStatus): void => {
    if (status === current) return;
    current = status;
    for (const name of services) health.setStatus(name, status);
  };
  const poll = async (): Promise<void> => {
    const readiness = await checkReadiness(checks, logger);
    if (stopped) return;
    set(readiness.status === "ok" ? "SERVING" : "NOT_SERVING");
    timer = setTimeout(() => void poll(), intervalMs);
    // The checks never keep the process running.
    timer.unref();
  };
  void poll();
  return {
    health,
    enterShutdown() {
      stopped = true;
      clearTimeout(timer);
      set("NOT_SERVING");
    },
  };
}
