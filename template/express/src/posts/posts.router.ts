// /posts: write, read, list (with each post's author), change and remove posts.
import { Router } from "express";

import type { Page } from "../core/pagination.js";
import { methodNotAllowed } from "../core/problem.js";
import { parseRequest } from "../core/validation.js";
import type { UserRepository } from "../users/users.repository.js";
import type { PostRepository } from "./posts.repository.js";
import { PostCreate, PostListQuery, PostPath, PostUpdate, toPostPublic, type PostPublic } from "./posts.schema.js";
import { createPost, deletePost, getPost, listPosts, updatePost } from "./posts.service.js";

export function createPostsRouter(posts: PostRepository, users: UserRepository): Router {
  const router = Router();
  router
    .route("/")
    .post(async (req, res) => {
      // An author_id that names no user is a 422 on that field.
      const { body } = parseRequest(req, { body: PostCreate });
      const post = await createPost(posts, users, body);
      res.status(201).location(`${req.baseUrl}/${post.id}`).json(toPostPublic(post));
    })
    .get(async (req, res) => {
      const { query } = parseRequest(req, { query: PostListQuery });
      const { items, nextCursor } = await listPosts(posts, query, query.author_id);
      const page: Page<PostPublic> = { items: items.map(toPostPublic), next_cursor: nextCursor };
      res.json(page);
    })
    .all(methodNotAllowed("GET", "POST"));
  router
    .route("/:post_id")
    .get(async (req, res) => {
      const { path } = parseRequest(req, { path: PostPath });
      res.json(toPostPublic(await getPost(posts, path.post_id)));
    })
    .patch(async (req, res) => {
      const { path, body } = parseRequest(req, { path: PostPath, body: PostUpdate });
      res.json(toPostPublic(await updatePost(posts, path.post_id, body)));
    })
    .delete(async (req, res) => {
      const { path } = parseRequest(req, { path: PostPath });
      await deletePost(posts, path.post_id);
      res.status(204).end();
    })
    .all(methodNotAllowed("GET", "PATCH", "DELETE"));
  return router;
}
