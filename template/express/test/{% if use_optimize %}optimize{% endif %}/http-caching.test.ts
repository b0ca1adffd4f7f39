// Conditional GETs (ETag / If-None-Match) and compression of large answers.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestApp, type TestApp } from "../helpers/app.js";
import { shareDatabase, SHARING_WAIT_MS } from "./database.js";
import { newPost } from "./posting.js";
import { seedPosts } from "./seeding.js";

let service: TestApp;
let releaseDatabase: () => Promise<void>;

beforeAll(async () => {
  service = await startTestApp();
  releaseDatabase = await shareDatabase(service);
}, SHARING_WAIT_MS);

afterAll(async () => {
  await releaseDatabase();
  await service.close();
});

const get = (path: string, headers: Record<string, string>) => request(service.app).get(path).set(headers);

describe("ETags", () => {
  it("answers a post with a matching If-None-Match with 304 and no body", async () => {
    const { post, headers } = await newPost(service);
    const first = await get(`/api/v1/posts/${post.id}`, headers);
    const etag = first.headers.etag ?? "";
    expect(etag).toMatch(/^W\/"[0-9a-f]{32}"$/);

    const again = await get(`/api/v1/posts/${post.id}`, { ...headers, "If-None-Match": etag });

    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    expect(again.headers.etag).toBe(etag);
  });

  it("gives a changed post a new ETag", async () => {
    const { post, headers } = await newPost(service);
    const path = `/api/v1/posts/${post.id}`;
    const etag = (await get(path, headers)).headers.etag ?? "";
    await request(service.app).patch(path).set(headers).send({ title: "Changed" }).expect(200);

    const after = await get(path, { ...headers, "If-None-Match": etag });

    expect(after.status).toBe(200);
    expect(after.headers.etag).toMatch(/^W\/"[0-9a-f]{32}"$/);
    expect(after.headers.etag).not.toBe(etag);
  });

  it("answers a list with a matching If-None-Match with 304", async () => {
    const { post, headers } = await newPost(service);
    const query = { author_id: post.author.id };
    const first = await get("/api/v1/posts", headers).query(query);
    const again = await get("/api/v1/posts", { ...headers, "If-None-Match": first.headers.etag ?? "" }).query(query);
    expect(first.status).toBe(200);
    expect(again.status).toBe(304);
  });

  it("tags only successful reads, not errors", async () => {
    const { headers } = await newPost(service);
    const missing = await get("/api/v1/posts/00000000-0000-4000-8000-000000000000", headers);
    expect(missing.status).toBe(404);
    expect(missing.headers.etag).toBeUndefined();
  });
});

describe("compression", () => {
  it("gzips a large list for a client that accepts it, not a small one", async () => {
    const { post, headers } = await newPost(service);
    await seedPosts(service.deps.db, post.author.id, 50);
    const accepting = { ...headers, "Accept-Encoding": "gzip" };

    const large = await get("/api/v1/posts", accepting).query({ author_id: post.author.id, limit: 50 });
    const small = await get(`/api/v1/posts/${post.id}`, accepting);

    expect(large.status).toBe(200);
    expect(large.headers["content-encoding"]).toBe("gzip");
    expect((large.body as { items: unknown[] }).items).toHaveLength(50);
    expect(small.status).toBe(200);
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect([large.headers.vary, small.headers.vary]).toEqual(["Accept-Encoding", "Accept-Encoding"]);
  });

  it("sends a large list as it is when no encoding is accepted", async () => {
    const { post, headers } = await newPost(service);
    await seedPosts(service.deps.db, post.author.id, 50);

    const response = await request(service.app)
      .get("/api/v1/posts")
      .query({ author_id: post.author.id, limit: 50 })
      .set(headers)
      .unset("Accept-Encoding");

    expect(response.status).toBe(200);
    expect(response.headers["content-encoding"]).toBeUndefined();
    expect(response.headers.vary).toBe("Accept-Encoding");
    expect((response.body as { items: unknown[] }).items).toHaveLength(50);
  });
});
