// /auth (sign in, refresh, sign out) and /users/me (the caller's own account).
import express, { Router, type Request, type RequestHandler } from "express";

import { methodNotAllowed } from "../core/problem.js";
import { parseInput, parseRequest } from "../core/validation.js";
import { postCache } from "../posts/posts.cache.js";
import { userCache } from "../users/users.cache.js";
import type { User } from "../users/users.repository.js";
import { toUserPublic } from "../users/users.schemas.js";
import { caller } from "./guards.js";
import { AccountUpdate, Credentials, RefreshRequest } from "./schemas.js";
import { refresh, signIn, signOut, updateAccount, type AuthServices } from "./service.js";

const FORM = "application/x-www-form-urlencoded";

/** JSON `{email, password}`, or the OAuth2 password form (`username`, `password`). */
function readCredentials(req: Request): Credentials {
  if (req.is(FORM)) {
    const form = (req.body ?? {}) as Record<string, unknown>;
    return parseInput(Credentials, { email: form.username, password: form.password }, "body");
  }
  return parseInput(Credentials, req.body, "body");
}
type Credentials = ReturnType<typeof Credentials.parse>;

export function createAuthRouter(auth: AuthServices, bodyLimit: string): Router {
  const router = Router();
  router
    .route("/token")
    .post(express.urlencoded({ extended: false, limit: bodyLimit }), async (req, res) => {
      // Sign in: an access token and a refresh token of a new session.
      const credentials = readCredentials(req);
      // The same client address as the API's rate limit (see app.ts).
      const client = req.ip ?? "unknown";
      res.json(await signIn(auth, credentials.email, credentials.password, client));
    })
    .all(methodNotAllowed("POST"));
  router
    .route("/refresh")
    .post(async (req, res) => {
      // A new pair for a refresh token, which stops working; reusing it ends the session.
      const { body } = parseRequest(req, { body: RefreshRequest });
      res.json(await refresh(auth, body.refresh_token));
    })
    .all(methodNotAllowed("POST"));
  router
    .route("/logout")
    .post(async (req, res) => {
      const { body } = parseRequest(req, { body: RefreshRequest });
      await signOut(auth, body.refresh_token);
      res.status(204).end();
    })
    .all(methodNotAllowed("POST"));
  return router;
}

/** What GET /users/me answers for the caller: the user record, and what another task adds to it. */
export type AccountView = (user: User) => Promise<object>;

const USER_RECORD: AccountView = (user) => Promise.resolve(toUserPublic(user));

/** `authenticated` starts each handler, so another method is a 405 to anyone. */
export function createAccountRouter(
  auth: AuthServices,
  authenticated: RequestHandler,
  view: AccountView = USER_RECORD,
): Router {
  const router = Router();
  router
    .route("/")
    .get(authenticated, async (_req, res) => {
      res.json(await view(caller(res)));
    })
    .patch(authenticated, async (req, res) => {
      // Change your name and/or password.
      const { body } = parseRequest(req, { body: AccountUpdate });
      const before = caller(res);
      const user = await updateAccount(auth, before, body);
      await userCache(res).forget(user.id);
      // Cached posts embed the author's name.
      if (user.name !== before.name) await postCache(res).forgetAuthor(user.id);
      res.json(toUserPublic(user));
    })
    .all(methodNotAllowed("GET", "PATCH"));
  return router;
}
