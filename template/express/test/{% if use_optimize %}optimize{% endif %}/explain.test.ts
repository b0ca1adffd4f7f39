// The keyset pages are read through their indexes, proven by PostgreSQL's own
// plan on 10 000 seeded posts: no full scan of posts, whatever the page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Cursor } from "../../src/core/pagination.js";
import { pageQuery } from "../../src/database/posts.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { holdTables, TABLES_WAIT_MS } from "../helpers/tables.js";
import { newPost } from "./posting.js";
import { seedPosts } from "./seeding.js";

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function* planNodes(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* planNodes(child);
}

async function explain(service: TestApp, cursor: Cursor | undefined, authorId?: string): Promise<PlanNode[]> {
  const [row] = await pageQuery(service.deps.db, cursor, 21, authorId).explain<{ "QUERY PLAN": { Plan: PlanNode }[] }>(
    "json",
  );
  const plan = row?.["QUERY PLAN"][0]?.Plan;
  if (!plan) throw new Error("EXPLAIN returned no plan");
  return [...planNodes(plan)];
}

function expectIndexScan(nodes: PlanNode[], index: string): void {
  const scansOfPosts = nodes.filter((node) => node["Relation Name"] === "posts").map((node) => node["Node Type"]);
  expect(scansOfPosts).not.toContain("Seq Scan");
  expect(nodes.map((node) => node["Index Name"])).toContain(index);
}

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

describe("EXPLAIN of the posts pages on 10 000 posts", () => {
  it("reads every page through the (created_at, id) index", async () => {
    const { post } = await newPost(service);
    await seedPosts(service.deps.db, post.author.id, 10_000);
    // Half-way through the seeded posts (one a second, going back from now).
    const halfway: Cursor = { createdAt: new Date(Date.now() - 5_000_000).toISOString(), id: post.id };

    for (const cursor of [undefined, halfway]) {
      expectIndexScan(await explain(service, cursor), "ix_posts_created_at_id");
    }
  });

  it("reads one author's pages through the (author_id, created_at, id) index", async () => {
    // One author among many: their 100 posts are 1 % of the table.
    const crowd = await newPost(service);
    await seedPosts(service.deps.db, crowd.post.author.id, 10_000);
    const { post } = await newPost(service);
    await seedPosts(service.deps.db, post.author.id, 100);
    const halfway: Cursor = { createdAt: new Date(Date.now() - 50_000).toISOString(), id: post.id };

    for (const cursor of [undefined, halfway]) {
      expectIndexScan(await explain(service, cursor, post.author.id), "ix_posts_author_id_created_at_id");
    }
  });
});
