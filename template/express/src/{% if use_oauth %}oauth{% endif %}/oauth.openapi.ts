// The OpenAPI description of /auth/oauth and /users/me/identities (router.ts).
import type { OpenAPIRegistry, ResponseConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

import { BEARER, TokenPairSchema, UNAUTHORIZED } from "../auth/auth.openapi.js";
import { jsonResponse, noContentResponse, problemResponse, RETRY_AFTER, VALIDATION_PROBLEM } from "../core/openapi.js";
import { LoginCodeExchange } from "./schemas.js";

const provider = z.object({ provider: z.string().meta({ description: "a name of OIDC_PROVIDERS" }) });
/** 302 or 303: go on at `Location` (with the X-Request-ID every answer carries). */
function redirectResponse(description: string, location: string): ResponseConfig {
  const { headers } = noContentResponse(description);
  const Location = z.string().meta({ description: location });
  return { description, headers: (headers as z.ZodObject).extend({ Location }) };
}

const TOO_MANY = problemResponse("Too many refused callbacks and exchanges from this client", { headers: RETRY_AFTER });

export function describeOauth(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: "get",
    path: "/api/v1/auth/oauth/{provider}/authorize",
    tags: ["auth"],
    operationId: "oauthAuthorize",
    summary: "Sign In With A Provider",
    description: "Sends the browser to the provider's sign-in page (state, nonce, PKCE S256).",
    request: {
      params: provider,
      // Checked by the route: missing, empty or not listed is the same 400.
      query: z.object({
        redirect_to: z.string().optional().meta({ description: "one URL of OAUTH_REDIRECT_ALLOWLIST" }),
      }),
    },
    responses: {
      302: redirectResponse("To the provider", "the provider's authorization URL"),
      400: problemResponse("redirect_to is not on OAUTH_REDIRECT_ALLOWLIST"),
      404: problemResponse("No provider has this name"),
      422: VALIDATION_PROBLEM,
      502: problemResponse("The provider's discovery failed"),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/auth/oauth/{provider}/callback",
    tags: ["auth"],
    operationId: "oauthCallback",
    summary: "Back From The Provider",
    description:
      "Where the provider sends the browser back. With a good state, always a redirect to redirect_to: " +
      "`#code=<login code>`, or `#error=` access_denied, provider_error, invalid_id_token, " +
      "email_not_verified or email_required.",
    request: {
      params: provider,
      // A missing state is the route's 400, as a bad one; iss is RFC 9207's, checked when sent.
      query: z.object({
        code: z.string().optional(),
        state: z.string().optional(),
        error: z.string().optional(),
        iss: z.string().optional(),
      }),
    },
    responses: {
      303: redirectResponse("To the front end", "redirect_to with the fragment"),
      400: problemResponse("The state is missing, unknown, expired or already used"),
      404: problemResponse("No provider has this name"),
      422: VALIDATION_PROBLEM,
      429: TOO_MANY,
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/auth/oauth/exchange",
    tags: ["auth"],
    operationId: "oauthExchange",
    summary: "Exchange Login Code",
    description: "The callback's login code (single use, 60 s) for the token pair of /auth/token.",
    request: { body: { required: true, content: { "application/json": { schema: LoginCodeExchange } } } },
    responses: {
      200: jsonResponse("Successful Response", TokenPairSchema),
      400: problemResponse("The login code is unknown, expired or already used"),
      422: VALIDATION_PROBLEM,
      429: TOO_MANY,
    },
  });
  registry.registerPath({
    method: "delete",
    path: "/api/v1/users/me/identities/{provider}",
    tags: ["users"],
    operationId: "unlinkIdentity",
    summary: "Unlink Provider",
    security: BEARER,
    request: { params: provider },
    responses: {
      204: noContentResponse("Successful Response"),
      401: UNAUTHORIZED,
      404: problemResponse("Your account is not linked to this provider"),
      409: problemResponse("This provider is your last way to sign in"),
      422: VALIDATION_PROBLEM,
    },
  });
}
