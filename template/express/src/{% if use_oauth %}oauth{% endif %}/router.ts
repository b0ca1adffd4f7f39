// /auth/oauth (authorize, callback, exchange) and /users/me/identities (unlink).
import { Router, type Request, type RequestHandler } from "express";

import { caller } from "../auth/guards.js";
import { methodNotAllowed } from "../core/problem.js";
import { parseRequest } from "../core/validation.js";
import { LoginCodeExchange, ProviderPath } from "./schemas.js";
import { authorize, callback, exchange, unlinkProvider, type OauthServices, type Requester } from "./service.js";

// Login codes and tokens: no cache on the way may keep them.
const NO_STORE = { "Cache-Control": "no-store" };

function requester(req: Request, requestId: string): Requester {
  // The same client address as the API's rate limit and /auth/token's attempts (see app.ts).
  return { client: req.ip ?? "unknown", requestId };
}

export function createOauthRouter(services: OauthServices): Router {
  const router = Router();
  router
    .route("/exchange")
    .post(async (req, res) => {
      // The login code of the callback's fragment, for the token pair of /auth/token.
      const { body } = parseRequest(req, { body: LoginCodeExchange });
      res.set(NO_STORE).json(await exchange(services, body.code, requester(req, res.locals.requestId)));
    })
    .all(methodNotAllowed("POST"));
  router
    .route("/:provider/authorize")
    .get(async (req, res) => {
      const { path } = parseRequest(req, { path: ProviderPath });
      const target = req.query.redirect_to;
      const url = await authorize(services, path.provider, typeof target === "string" ? target : undefined);
      res.set(NO_STORE).redirect(302, url.href);
    })
    .all(methodNotAllowed("GET"));
  router
    .route("/:provider/callback")
    .get(async (req, res) => {
      const { path } = parseRequest(req, { path: ProviderPath });
      // The raw query: openid-client reads the provider's parameters from it as sent.
      const search = req.originalUrl.split("?", 2)[1] ?? "";
      const location = await callback(services, path.provider, search, requester(req, res.locals.requestId));
      res.set(NO_STORE).redirect(303, location);
    })
    .all(methodNotAllowed("GET"));
  return router;
}

/** `authenticated` starts each handler, so another method is a 405 to anyone. */
export function createIdentitiesRouter(services: OauthServices, authenticated: RequestHandler): Router {
  const router = Router();
  router
    .route("/:provider")
    .delete(authenticated, async (req, res) => {
      const { path } = parseRequest(req, { path: ProviderPath });
      await unlinkProvider(services, caller(res).id, path.provider);
      res.status(204).end();
    })
    .all(methodNotAllowed("DELETE"));
  return router;
}
