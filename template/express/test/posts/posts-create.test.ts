// Writing and reading one post: POST and GET /api/v1/posts.
import { randomUUID } from "node:crypto";

import request from "supertest";
import { describe, expect, it } from "vitest";

import {
  errorLocations,
  expectProblem,
  postBody,
  TIMESTAMP,
  useCrud,
  UUID_V4,
  type Author,
  type PostBody,
} from "../helpers/crud.js";

const crud = useCrud();
const write = (author: Author, body: Record<string, unknown>) =>
  request(crud.service.app).post("/api/v1/posts").set(author.headers).send(body);

describe("posts", () => {
  it("creates with 201, a Location and the post with its author", async () => {
    const author = await crud.newAuthor("Ada");
    const response = await write(author, postBody(author, { title: "Notes", body: "On engines." }));
    expect(response.status).toBe(201);
    const post = response.body as PostBody;
    expect(Object.keys(post)).toEqual(["id", "author_id", "title", "body", "created_at", "updated_at", "author"]);
    expect(post).toMatchObject({ author_id: author.id, title: "Notes", body: "On engines." });
    expect(post.author).toEqual({ id: author.id, name: "Ada" });
    expect(post.id).toMatch(UUID_V4);
    expect(post.created_at).toMatch(TIMESTAMP);
    expect(post.updated_at).toBe(post.created_at);
    expect(response.headers.location).toBe(`/api/v1/posts/${post.id}`);

    const fetched = await request(crud.service.app).get(`/api/v1/posts/${post.id}`).set(author.headers);
    expect(fetched.body).toEqual(post);
  });

  it("defaults a left-out body to an empty string", async () => {
    const author = await crud.newAuthor();
    const response = await write(author, postBody(author, { title: "T" }));
    expect(response.status).toBe(201);
    expect((response.body as PostBody).body).toBe("");
  });

  it("answers an author_id naming no user with a 422 on author_id", async () => {
    const author = await crud.newAuthor();
    const response = await write(author, { ...postBody(author, { title: "T", body: "" }), author_id: randomUUID() });
    expect(errorLocations(response)).toEqual([["body", "author_id"]]);
  });

  it.each([
    [{ title: "" }, ["body", "title"]],
    [{ title: "x".repeat(201) }, ["body", "title"]],
    [{ body: "x".repeat(10_001) }, ["body", "body"]],
    [{ body: null }, ["body", "body"]],
    [{ author_id: "ada" }, ["body", "author_id"]],
    [{ pinned: true }, ["body", "pinned"]],
  ])("refuses %j with a 422 on %j", async (changes, location) => {
    const author = await crud.newAuthor();
    const response = await write(author, { ...postBody(author, { title: "T", body: "" }), ...changes });
    expect(errorLocations(response)).toEqual([location]);
  });

  it("answers an unknown id with 404 and a malformed one with 422 on the path", async () => {
    const { headers } = await crud.staff();
    const get = (path: string) => request(crud.service.app).get(path).set(headers);
    expectProblem(await get(`/api/v1/posts/${randomUUID()}`), 404, "No post has this id.");
    expect(errorLocations(await get("/api/v1/posts/not-a-uuid"))).toEqual([["path", "post_id"]]);
  });
});
