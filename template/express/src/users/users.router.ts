// /users: sign-up, look-up, listing and removal.
import { Router } from "express";

import { pageQuery, type Page } from "../core/pagination.js";
import { methodNotAllowed } from "../core/problem.js";
import { parseRequest } from "../core/validation.js";
import type { UserRepository } from "./users.repository.js";
import { toUserPublic, UserCreate, UserPath, type UserPublic } from "./users.schema.js";
import { deleteUser, getUser, listUsers, registerUser } from "./users.service.js";

export function createUsersRouter(users: UserRepository): Router {
  const router = Router();
  router
    .route("/")
    .post(async (req, res) => {
      // Sign up; the email is trimmed and lower-cased, and must not be in use.
      const { body } = parseRequest(req, { body: UserCreate });
      const user = await registerUser(users, body);
      res.status(201).location(`${req.baseUrl}/${user.id}`).json(toUserPublic(user));
    })
    .get(async (req, res) => {
      const { query } = parseRequest(req, { query: pageQuery });
      const { items, nextCursor } = await listUsers(users, query);
      const page: Page<UserPublic> = { items: items.map(toUserPublic), next_cursor: nextCursor };
      res.json(page);
    })
    .all(methodNotAllowed("GET", "POST"));
  router
    .route("/:user_id")
    .get(async (req, res) => {
      const { path } = parseRequest(req, { path: UserPath });
      res.json(toUserPublic(await getUser(users, path.user_id)));
    })
    .delete(async (req, res) => {
      // Remove the user and every post they wrote.
      const { path } = parseRequest(req, { path: UserPath });
      await deleteUser(users, path.user_id);
      res.status(204).end();
    })
    .all(methodNotAllowed("GET", "DELETE"));
  return router;
}
