// Query budgets, counted by the per-request statement counter (not timed): a page
// of posts with their authors costs at most two statements whatever its size.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { countingQueries } from "../../src/optimize/queries.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { readsPageOfPosts, sendTwoStatements, shareDatabase, SHARING_WAIT_MS } from "./database.js";
import { actAs, newPost, type PostBody } from "./posting.js";
import { seedPosts } from "./seeding.js";

let service: TestApp;
let releaseDatabase: () => Promise<void>;

beforeAll(async () => {
  service = await startTestApp({ env: { QUERY_COUNT_HEADER: "true" } });
  releaseDatabase = await shareDatabase(service);
}, SHARING_WAIT_MS);

afterAll(async () => {
  await releaseDatabase();
  await service.close();
});

/** X-Query-Count of the answer, which must be there. */
function statements(response: request.Response): number {
  const header = response.headers["x-query-count"];
  expect(header).toMatch(/^\d+$/);
  return Number(header);
}

describe("query budget", () => {
  it.each([1, 100])("costs at most 2 statements for a page of %i posts with their authors", async (limit) => {
    const { post, headers } = await newPost(service);
    await seedPosts(service.deps.db, post.author.id, 150);

    const response = await request(service.app).get("/api/v1/posts").query({ limit }).set(headers);

    expect(response.status).toBe(200);
    const items = (response.body as { items: PostBody[] }).items;
    expect(items).toHaveLength(limit);
    expect(items.every((item) => item.author.name !== "")).toBe(true);
    // At least the page itself: a counter that saw nothing would pass "at most 2".
    expect(statements(response)).toBeGreaterThanOrEqual(1);
    expect(statements(response)).toBeLessThanOrEqual(2);
  });

  it("costs at most 2 statements for a page of 100 users", async () => {
    const headers = await actAs(service, "admin");
    const response = await request(service.app).get("/api/v1/users").query({ limit: 100 }).set(headers);
    expect(response.status).toBe(200);
    expect(statements(response)).toBeGreaterThanOrEqual(1);
    expect(statements(response)).toBeLessThanOrEqual(2);
  });

  it("costs at most 2 statements for one post with its author", async () => {
    const { post, headers } = await newPost(service);
    const response = await request(service.app).get(`/api/v1/posts/${post.id}`).set(headers);
    expect(response.status).toBe(200);
    expect((response.body as PostBody).author.id).toBe(post.author.id);
    expect(statements(response)).toBeLessThanOrEqual(2);
  });
});

describe("the statement counter", () => {
  it("counts the statements sent within a block, whichever code sends them", async () => {
    const counted = await countingQueries(async (count) => {
      await sendTwoStatements(service);
      return count;
    });
    expect(counted.statements).toBe(2);
  });

  it("keeps the counts of concurrent blocks apart, even when they wait for a connection", async () => {
    // One connection: each block waits for another to give it back before it sends.
    const narrow = await startTestApp({ env: { DB_POOL_SIZE: "1" } });
    try {
      const counts = await Promise.all(
        Array.from({ length: 5 }, () =>
          countingQueries(async (count) => {
            await sendTwoStatements(narrow);
            return count.statements;
          }),
        ),
      );
      expect(counts).toEqual([2, 2, 2, 2, 2]);
    } finally {
      await narrow.close();
    }
  });

  it("sends no X-Query-Count unless QUERY_COUNT_HEADER is on", async () => {
    const quiet = await startTestApp();
    try {
      const response = await request(quiet.app).get("/health/ready");
      expect(response.status).toBe(200);
      expect(response.headers["x-query-count"]).toBeUndefined();
    } finally {
      await quiet.close();
    }
  });

  it("counts the readiness check's statement", async () => {
    const response = await request(service.app).get("/health/ready");
    expect(statements(response)).toBe(1);
  });
});

describe("slow-query log", () => {
  it("logs slow statements with their text and duration, never their parameters", async () => {
    const secret = "0f0e0d0c-0b0a-4909-8807-060504030201";
    const logged = await startTestApp({ env: { SLOW_QUERY_MS: "0" } });
    try {
      const headers = await actAs(service);
      const response = await request(logged.app).get("/api/v1/posts").query({ author_id: secret }).set(headers);
      expect(response.status).toBe(200);

      const slow = logged.logs.records().filter((line) => line.msg === "slow query");
      const page = slow.filter((line) => readsPageOfPosts(String(line.statement)));
      expect(page).toHaveLength(1);
      expect(page[0]).toMatchObject({ level: "warn", request_id: response.headers["x-request-id"] });
      expect(typeof page[0]?.duration_ms).toBe("number");
      expect(logged.logs.text()).not.toContain(secret);
    } finally {
      await logged.close();
    }
  });
});
