// What the optimize task adds to the API's OpenAPI description.
import { z } from "zod";

import { noContentResponse, under, type Amendment } from "../core/openapi.js";

/** middleware.ts etags: an ETag on each 200 to a GET; a matching If-None-Match → 304. */
export function conditionalGets(prefix: string): Amendment {
  const get = under(prefix, "get");
  return {
    // Only a 200 has a body to tag: a GET that redirects (sign-in) has no ETag.
    appliesTo: (route) => get(route) && "200" in route.responses,
    responses: { 304: noContentResponse("Not Modified: the copy with this ETag is current") },
    headers: { ETag: z.string().meta({ description: "a weak tag of the body, for If-None-Match" }) },
    statuses: ["200", "304"],
    requestHeaders: {
      "If-None-Match": z
        .string()
        .optional()
        .meta({ description: "ETags of copies the client holds: a match is answered 304, without a body" }),
    },
  };
}
