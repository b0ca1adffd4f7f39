// The indexes behind every query, proven by the server's own query plans on seeded
// data: each page is a range on a keyset index, an email look-up uses the unique
// index, and nothing scans a whole collection.
import { randomUUID } from "node:crypto";

import type { Document } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { collections, keysetOf, type Collections } from "../../src/database/documents.js";
import { createClient } from "../../src/database/engine.js";
import { EMAIL_COLLATION } from "../../src/database/migrations.js";
import { pageFilter } from "../../src/database/posts.js";
import { EMAIL_INDEX } from "../../src/database/users.js";
import { validEnv } from "../helpers/app.js";
import { ownDatabase, type OwnDatabase } from "../helpers/databases.js";

let database: OwnDatabase;
let client: ReturnType<typeof createClient>;
let store: Collections;
const AUTHOR = randomUUID();

beforeAll(async () => {
  database = await ownDatabase();
  client = createClient({ ...{ dbPoolSize: 2, dbPoolTimeoutSeconds: 10 }, databaseUrl: database.url });
  store = collections(client.db());
  const start = Date.parse("2026-01-01T00:00:00.000Z");
  const users = Array.from({ length: 20 }, (_, i) => {
    const id = i === 0 ? AUTHOR : randomUUID();
    const created = new Date(start + i * 1000);
    const createdAt = created.toISOString();
    return {
      _id: id,
      email: `seed-${i}@example.com`,
      name: `Seed ${i}`,
      role: "user" as const,
      created_at: created,
      keyset: keysetOf(createdAt, id),
      post_count: 0,
    };
  });
  await store.users.insertMany(users);
  await store.posts.insertMany(
    Array.from({ length: 200 }, (_, i) => {
      const id = randomUUID();
      const created = new Date(start + i * 1000);
      const createdAt = created.toISOString();
      const author = users[i % users.length]?._id ?? AUTHOR;
      return {
        _id: id,
        author_id: author,
        title: `Seed ${i}`,
        body: "",
        created_at: created,
        updated_at: created,
        keyset: keysetOf(createdAt, id),
      };
    }),
  );
}, 60_000);

afterAll(async () => {
  await client.close();
  await database.drop();
});

interface PlanStage {
  stage: string;
  indexName?: string;
  inputStage?: PlanStage;
  inputStages?: PlanStage[];
}

/** Every stage of a plan, depth first. */
function stages(plan: PlanStage): PlanStage[] {
  const inputs = [...(plan.inputStage ? [plan.inputStage] : []), ...(plan.inputStages ?? [])];
  return [plan, ...inputs.flatMap(stages)];
}

function winningPlan(explained: Document): PlanStage[] {
  const planner = explained.queryPlanner as { winningPlan: PlanStage };
  return stages(planner.winningPlan);
}

function expectIndex(plan: PlanStage[], index: string): void {
  expect(plan.map((stage) => stage.stage)).not.toContain("COLLSCAN");
  expect(plan.filter((stage) => stage.stage === "IXSCAN").map((stage) => stage.indexName)).toContain(index);
}

const AFTER = { createdAt: "2026-01-01T00:02:00.000Z", id: "ffffffff-ffff-4fff-bfff-ffffffffffff" };

describe("query plans", () => {
  it("reads the first page of posts from posts_keyset", async () => {
    const explained = await store.posts.find(pageFilter(undefined)).sort({ keyset: -1 }).limit(21).explain();
    expectIndex(winningPlan(explained), "posts_keyset");
  });

  it("reads a page of posts after a cursor from posts_keyset", async () => {
    const explained = await store.posts.find(pageFilter(AFTER)).sort({ keyset: -1 }).limit(21).explain();
    expectIndex(winningPlan(explained), "posts_keyset");
  });

  it("reads one author's page after a cursor from posts_author_keyset", async () => {
    const explained = await store.posts.find(pageFilter(AFTER, AUTHOR)).sort({ keyset: -1 }).limit(21).explain();
    expectIndex(winningPlan(explained), "posts_author_keyset");
  });

  it("reads a page of users after a cursor from users_keyset", async () => {
    const filter = { keyset: { $lt: keysetOf(AFTER.createdAt, AFTER.id) } };
    const explained = await store.users.find(filter).sort({ keyset: -1 }).limit(21).explain();
    expectIndex(winningPlan(explained), "users_keyset");
  });

  it("finds a user by email with users_email", async () => {
    const explained = await store.users.find({ email: "seed-3@example.com" }, { collation: EMAIL_COLLATION }).explain();
    expectIndex(winningPlan(explained), EMAIL_INDEX);
  });

  it("runs against the server the tests were given", () => {
    expect(validEnv().DATABASE_URL).toMatch(/^mongodb/);
  });
});
