// The posts repository runs the page query compiled once per shape: each shape,
// given a request's values, reads the very rows the query built afresh reads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Cursor } from "../../src/core/pagination.js";
import { pageQuery, PostgresPostRepository } from "../../src/database/posts.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { holdTables, TABLES_WAIT_MS } from "../helpers/tables.js";
import { newPost } from "./posting.js";
import { seedPosts } from "./seeding.js";

let service: TestApp;
let releaseTables: () => Promise<void>;

beforeAll(async () => {
  service = await startTestApp();
  releaseTables = await holdTables(service.deps.pool, "shared");
}, TABLES_WAIT_MS);

afterAll(async () => {
  await releaseTables();
  await service.close();
});

describe("compiled page statements", () => {
  it("read the same pages as the query built for each request", async () => {
    const { post } = await newPost(service);
    const other = await newPost(service);
    await seedPosts(service.deps.db, post.author.id, 30);
    await seedPosts(service.deps.db, other.post.author.id, 30);
    const repository = new PostgresPostRepository(service.deps.db);
    const [, middle] = await pageQuery(service.deps.db, undefined, 12, post.author.id).execute();
    if (!middle) throw new Error("no posts were seeded");
    const cursor: Cursor = { createdAt: middle.created_at, id: middle.id };

    for (const after of [undefined, cursor]) {
      for (const authorId of [undefined, post.author.id]) {
        const built = await pageQuery(service.deps.db, after, 7, authorId).execute();
        const compiled = await repository.listAfter(after, 7, authorId);
        expect(compiled.map((item) => item.id)).toEqual(built.map((row) => row.id));
        expect(compiled).toHaveLength(7);
      }
    }
  });
});
