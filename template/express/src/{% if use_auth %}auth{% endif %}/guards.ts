// Authentication and authorisation as middleware: routes declare, handlers never
// check. `authenticate` puts the caller in res.locals; `permit` and the object
// checks below consult the one permission map (permissions.ts).
// They belong in a handler's own chain (`.get(authenticated, …)`), never in
// router.use: there they would answer 401 before routing could answer 404 or 405.
import type { RequestHandler, Response } from "express";

import { parseRequest } from "../core/validation.js";
import type { PostRepository } from "../posts/posts.repository.js";
import { PostNotFoundError } from "../posts/posts.errors.js";
import { PostPath } from "../posts/posts.schemas.js";
import { userCache, type UserCache } from "../users/users.cache.js";
import { UserNotFoundError } from "../users/users.errors.js";
import type { User } from "../users/users.repository.js";
import { UserPath } from "../users/users.schemas.js";
import { ForbiddenError, InvalidTokenError, NotAuthenticatedError } from "./errors.js";
import { allows, type Permission } from "./permissions.js";
import type { AuthServices } from "./service.js";
import { getAccount } from "./store.js";
import { readAccessToken } from "./tokens.js";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The caller; set by `authenticate`, so it is there in every route behind it. */
export function caller(res: Pick<Response, "locals">): User {
  const user = res.locals.caller as User | undefined;
  if (!user) throw new NotAuthenticatedError();
  return user;
}

/** The token of an `Authorization: Bearer <token>` header; undefined for anything else. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return BEARER.exec(authorization ?? "")?.[1];
}

/** The account a token speaks for; 401 for a missing, invalid or expired token, or a deleted account. */
export async function accountOf(auth: AuthServices, token: string | undefined, users: UserCache): Promise<User> {
  if (!token) throw new NotAuthenticatedError();
  const claims = await readAccessToken(auth.keys, token);
  // The role comes from the database (or its cache, dropped whenever the record
  // changes), not the token: a demotion applies at once.
  const user = await users.read(claims.userId, () => getAccount(auth.db, claims.userId));
  if (!user) throw new InvalidTokenError();
  return user;
}

/** 401 for a missing, invalid or expired token, or a deleted account. */
export function authenticate(auth: AuthServices): RequestHandler {
  return async (req, res, next) => {
    const user = await accountOf(auth, bearerToken(req.get("authorization")), userCache(res));
    res.locals.caller = user;
    res.locals.userId = user.id;
    next();
  };
}

/** 403 unless the caller's role has `permission`. */
export function permit(permission: Permission): RequestHandler {
  return (_req, res, next) => {
    if (!allows(caller(res).role, permission)) throw new ForbiddenError();
    next();
  };
}

/** Another user's record is not found, rather than forbidden: ids are not confirmed. */
export const mayReadUser: RequestHandler = (req, res, next) => {
  const { path } = parseRequest(req, { path: UserPath });
  const me = caller(res);
  if (!allows(me.role, "users:read", path.user_id === me.id)) throw new UserNotFoundError();
  next();
};

/** 404 without the post, 403 unless the caller may act on it. */
export function permitOnPost(posts: PostRepository, permission: Permission): RequestHandler {
  return async (req, res, next) => {
    const { path } = parseRequest(req, { path: PostPath });
    const post = await posts.get(path.post_id);
    if (!post) throw new PostNotFoundError();
    const me = caller(res);
    if (!allows(me.role, permission, post.author.id === me.id)) throw new ForbiddenError();
    next();
  };
}
