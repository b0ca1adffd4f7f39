// The versioned REST API: every feature router, under /api/v1.
import { Router } from "express";

import type { PostRepository } from "./posts/posts.repository.js";
import { createPostsRouter } from "./posts/posts.router.js";
import type { UserRepository } from "./users/users.repository.js";
import { createUsersRouter } from "./users/users.router.js";

export const API_PREFIX = "/api/v1";

/** The storage behind the API: memory (src/memory.ts) or PostgreSQL (src/database/). */
export interface Repositories {
  users: UserRepository;
  posts: PostRepository;
}

export function createApiRouter(repositories: Repositories): Router {
  const router = Router();
  router.use("/users", createUsersRouter(repositories.users));
  router.use("/posts", createPostsRouter(repositories.posts, repositories.users));
  return router;
}
