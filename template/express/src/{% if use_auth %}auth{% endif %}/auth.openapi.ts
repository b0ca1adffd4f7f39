// The OpenAPI description of /auth and /users/me (auth.router.ts), and what the
// other features' descriptions need to say a route wants a bearer token.
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

import { jsonResponse, noContentResponse, problemResponse, VALIDATION_PROBLEM } from "../core/openapi.js";
import { UserPublic } from "../users/users.schemas.js";
import { AccountUpdate, Credentials, RefreshRequest, type TokenPair } from "./schemas.js";

const SCHEME = "OAuth2PasswordBearer";
const TOKEN_PATH = "/api/v1/auth/token";

/** The `security` of an operation that needs `Authorization: Bearer <access token>`. */
export const BEARER = [{ [SCHEME]: [] }];

const challenge = { "WWW-Authenticate": z.literal("Bearer") };
export const UNAUTHORIZED = problemResponse("Missing, invalid or expired bearer token", { headers: challenge });
export const FORBIDDEN = problemResponse("Your role does not allow this");

export const TokenPairSchema = z
  .object({
    access_token: z.string(),
    refresh_token: z.string(),
    token_type: z.literal("Bearer"),
    expires_in: z.int(),
  })
  .meta({ id: "TokenPair" }) satisfies z.ZodType<TokenPair>;

// The OAuth2 password form, so OpenAPI tools can sign in (their "Authorize").
const TokenForm = z.object({
  username: z.string().meta({ description: "the email" }),
  password: z.string().meta({ format: "password" }),
});

/** `account`: what GET /users/me answers, the user record unless a task adds to it. */
export function describeAuth(registry: OpenAPIRegistry, account: z.ZodType = UserPublic): void {
  // A password flow: the bearer token comes from /auth/token, which takes the OAuth2 form.
  registry.registerComponent("securitySchemes", SCHEME, {
    type: "oauth2",
    flows: { password: { tokenUrl: TOKEN_PATH, scopes: {} } },
  });
  registry.registerPath({
    method: "post",
    path: TOKEN_PATH,
    tags: ["auth"],
    operationId: "issueToken",
    summary: "Issue Token",
    description: "Sign in: an access token and a refresh token of a new session.",
    request: {
      body: {
        required: true,
        content: {
          "application/json": { schema: Credentials },
          "application/x-www-form-urlencoded": { schema: TokenForm },
        },
      },
    },
    responses: {
      200: jsonResponse("Successful Response", TokenPairSchema),
      401: problemResponse("Wrong email or password"),
      422: VALIDATION_PROBLEM,
      429: problemResponse("Too many failed attempts for this email and client", {
        headers: { "Retry-After": z.string().meta({ description: "seconds to wait" }) },
      }),
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/auth/refresh",
    tags: ["auth"],
    operationId: "refreshToken",
    summary: "Refresh Token",
    description: "A new pair for a refresh token, which stops working; reusing it ends the session.",
    request: { body: { required: true, content: { "application/json": { schema: RefreshRequest } } } },
    responses: {
      200: jsonResponse("Successful Response", TokenPairSchema),
      401: problemResponse("Invalid or reused refresh token"),
      422: VALIDATION_PROBLEM,
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/auth/logout",
    tags: ["auth"],
    operationId: "logout",
    summary: "Logout",
    description: "End the session the refresh token belongs to.",
    request: { body: { required: true, content: { "application/json": { schema: RefreshRequest } } } },
    responses: { 204: noContentResponse("Successful Response"), 422: VALIDATION_PROBLEM },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/users/me",
    tags: ["users"],
    operationId: "readMe",
    summary: "Read Me",
    security: BEARER,
    responses: { 200: jsonResponse("Successful Response", account), 401: UNAUTHORIZED },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/users/me",
    tags: ["users"],
    operationId: "updateMe",
    summary: "Update Me",
    description: "Change your name and/or password.",
    security: BEARER,
    request: { body: { required: true, content: { "application/json": { schema: AccountUpdate } } } },
    responses: {
      200: jsonResponse("Successful Response", UserPublic),
      401: UNAUTHORIZED,
      422: VALIDATION_PROBLEM,
    },
  });
}
