// The OpenAPI description of /health (health.router.ts).
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

import { jsonResponse } from "../core/openapi.js";
import type { Readiness } from "./health.router.js";

const CheckStatus = z.enum(["ok", "error"]);

export const LivenessPublic = z.object({ status: z.literal("ok") }).meta({ id: "LivenessPublic" });

export const ReadinessPublic = z
  .object({ status: CheckStatus, checks: z.record(z.string(), CheckStatus) })
  .meta({ id: "ReadinessPublic" }) satisfies z.ZodType<Readiness>;

export function describeHealth(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: "get",
    path: "/health/live",
    tags: ["health"],
    operationId: "live",
    summary: "Live",
    description: "The process is up and serving requests.",
    responses: { 200: jsonResponse("Successful Response", LivenessPublic) },
  });
  registry.registerPath({
    method: "get",
    path: "/health/ready",
    tags: ["health"],
    operationId: "ready",
    summary: "Ready",
    description: "Every dependency answers within the timeout; 503 names the one that does not.",
    responses: {
      200: jsonResponse("Successful Response", ReadinessPublic),
      503: jsonResponse("Service Unavailable", ReadinessPublic),
    },
  });
}
