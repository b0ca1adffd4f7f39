// Look-up, listing and removal of users: GET and DELETE /api/v1/users.
import { randomUUID } from "node:crypto";

import request from "supertest";
import { describe, expect, it } from "vitest";

import { encodeCursor } from "../../src/core/pagination.js";
import {
  errorLocations,
  expectProblem,
  listAll,
  newestFirst,
  othersThan,
  useCrud,
  type PageBody,
  type UserBody,
} from "../helpers/crud.js";

const crud = useCrud();

/** GET `path` as the staff. */
async function read(path: string, query: Record<string, string> = {}): Promise<request.Response> {
  const { headers } = await crud.staff();
  return request(crud.service.app).get(path).set(headers).query(query);
}

describe("users", () => {
  it("answers an unknown id with 404 and a malformed one with 422 on the path", async () => {
    expectProblem(await read(`/api/v1/users/${randomUUID()}`), 404, "No user has this id.");
    expect(errorLocations(await read("/api/v1/users/42"))).toEqual([["path", "user_id"]]);
  });

  it("pages through every user once, newest first", async () => {
    const staff = await crud.staff();
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await crud.createUser());

    const listed = (await listAll(crud.service, staff.headers, "/api/v1/users", { limit: 2 })) as UserBody[];

    expect(othersThan(staff, listed).map((user) => user.id)).toEqual(newestFirst(created));
    expect(listed).toHaveLength(created.length + staff.userIds.size);
  });

  it("returns a null next_cursor on the last page", async () => {
    const staff = await crud.staff();
    await crud.createUser();
    const response = await read("/api/v1/users", { limit: String(1 + staff.userIds.size) });
    expect((response.body as PageBody<UserBody>).next_cursor).toBeNull();
  });

  it.each(["0", "101", "many", "2.5"])("refuses limit=%s with a 422 on limit", async (limit) => {
    expect(errorLocations(await read("/api/v1/users", { limit }))).toEqual([["query", "limit"]]);
  });

  it.each([
    ["not base64", "not a cursor!"],
    ["not an array", Buffer.from('{"a":1}').toString("base64url")],
    ["not two strings", Buffer.from("[1, 2]").toString("base64url")],
    ["a bad id", Buffer.from('["2026-01-01T00:00:00.000Z","x"]').toString("base64url")],
    ["a bad timestamp", Buffer.from(`["2026-02-30T00:00:00.000Z","${randomUUID()}"]`).toString("base64url")],
    ["no milliseconds", Buffer.from(`["2026-01-01T00:00:00Z","${randomUUID()}"]`).toString("base64url")],
  ])("refuses a cursor with %s with a 422 on cursor", async (_what, cursor) => {
    expect(errorLocations(await read("/api/v1/users", { cursor }))).toEqual([["query", "cursor"]]);
  });

  it("lists only the users strictly after a cursor", async () => {
    const first = await crud.createUser();
    const response = await read("/api/v1/users", { cursor: encodeCursor(first.created_at, first.id) });
    expect(response.status).toBe(200);
    expect((response.body as PageBody<UserBody>).items.map((user) => user.id)).not.toContain(first.id);
  });

  it("deletes with 204, then 404, and takes the user's posts along", async () => {
    const { headers } = await crud.staff();
    const author = await crud.newAuthor();
    const post = await crud.writePost(author);
    const remove = () => request(crud.service.app).delete(`/api/v1/users/${author.id}`).set(headers);

    const response = await remove();
    expect(response.status).toBe(204);
    expect(response.text).toBe("");

    expectProblem(await read(`/api/v1/users/${author.id}`), 404, "No user has this id.");
    expectProblem(await read(`/api/v1/posts/${post.id}`), 404, "No post has this id.");
    expectProblem(await remove(), 404, "No user has this id.");
  });

  it("answers a method the route does not serve with 405", async () => {
    const { headers } = await crud.staff();
    const response = await request(crud.service.app).put("/api/v1/users").set(headers);
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("GET, POST");
  });
});
