// What the cache task adds to the API's OpenAPI description.
import type { RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

import type { Amendment } from "../core/openapi.js";

/** X-Cache: whether the cache-aside read of this operation hit Redis. */
export function cacheStatus(method: RouteConfig["method"], path: string): Amendment {
  return {
    appliesTo: (route) => route.method === method && route.path === path,
    headers: {
      "X-Cache": z
        .enum(["HIT", "MISS"])
        .meta({ description: "HIT: served from the Redis cache; MISS: loaded from storage" }),
    },
    statuses: ["200", "304"],
  };
}
