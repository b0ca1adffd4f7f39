// Lists of posts: GET /api/v1/posts, page by page, by author, each with its author.
import { randomUUID } from "node:crypto";

import request from "supertest";
import { describe, expect, it } from "vitest";

import { errorLocations, listAll, newestFirst, useCrud, type PageBody, type PostBody } from "../helpers/crud.js";

const crud = useCrud();

describe("posts", () => {
  it("lists one author's posts page by page, newest first, each with its author", async () => {
    const { headers } = await crud.staff();
    const author = await crud.newAuthor("Grace");
    const other = await crud.newAuthor();
    const mine = [];
    for (let i = 0; i < 5; i++) mine.push(await crud.writePost(author, `Post ${String(i)}`));
    await crud.writePost(other);

    const query = { author_id: author.id, limit: 2 };
    const listed = (await listAll(crud.service, headers, "/api/v1/posts", query)) as PostBody[];

    expect(listed.map((post) => post.id)).toEqual(newestFirst(mine));
    for (const post of listed) expect(post.author).toEqual({ id: author.id, name: "Grace" });
  });

  it("pages through every post once, by default 20 at a time", async () => {
    const { headers } = await crud.staff();
    const author = await crud.newAuthor();
    const created = [];
    for (let i = 0; i < 23; i++) created.push(await crud.writePost(author));

    const first = await request(crud.service.app).get("/api/v1/posts").set(headers);
    expect((first.body as PageBody<PostBody>).items).toHaveLength(20);
    const listed = (await listAll(crud.service, headers, "/api/v1/posts", {})) as PostBody[];
    expect(listed.map((post) => post.id)).toEqual(newestFirst(created));
  });

  it("lists an empty page for an author with no posts", async () => {
    const { headers } = await crud.staff();
    const response = await request(crud.service.app)
      .get("/api/v1/posts")
      .set(headers)
      .query({ author_id: randomUUID() });
    expect(response.body).toEqual({ items: [], next_cursor: null });
  });

  it.each([
    [{ limit: 0 }, ["query", "limit"]],
    [{ limit: 101 }, ["query", "limit"]],
    [{ cursor: "%%%" }, ["query", "cursor"]],
    [{ author_id: "ada" }, ["query", "author_id"]],
  ])("refuses %j with a 422 on %j", async (query, location) => {
    const { headers } = await crud.staff();
    const response = await request(crud.service.app).get("/api/v1/posts").set(headers).query(query);
    expect(errorLocations(response)).toEqual([location]);
  });
});
