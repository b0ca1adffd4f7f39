// A pool that runs dry: a request that cannot get a connection within
// DB_POOL_TIMEOUT_SECONDS is answered 503 with Retry-After, never a 500 or a hang.
import { once } from "node:events";

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestApp, type TestApp } from "../helpers/app.js";
import { ownDatabase, type OwnDatabase } from "../helpers/databases.js";
import { expectRetryLater } from "../helpers/retry-later.js";

let database: OwnDatabase;
let service: TestApp;

beforeAll(async () => {
  database = await ownDatabase();
  service = await startTestApp({
    env: { DATABASE_URL: database.url, DB_POOL_SIZE: "1", DB_POOL_TIMEOUT_SECONDS: "0.2" },
  });
  await service.deps.db.createCollection("waiting", { capped: true, size: 4096 });
  await service.deps.db.collection("waiting").insertOne({ at: new Date() });
});

afterAll(async () => {
  await service.close();
  await database.drop();
});

describe("pool exhaustion", () => {
  it("answers 503 with Retry-After: 1 while every connection is held, and 200 once one is free", async () => {
    // A tailable cursor's getMore waits on the server for new documents: it holds the
    // pool's only connection for a second and a half.
    const cursor = service.deps.db
      .collection("waiting")
      .find({}, { tailable: true, awaitData: true, maxAwaitTimeMS: 1500 });
    await cursor.next();
    // The request goes out once the getMore holds the connection, not merely once it is asked.
    const checkedOut = once(service.deps.mongo, "connectionCheckedOut");
    const holding = cursor.tryNext();
    await checkedOut;
    let busy: request.Response;
    try {
      busy = await request(service.app).get("/api/v1/posts");
    } finally {
      await holding;
      await cursor.close();
    }
    expectRetryLater(busy, "The database is busy; retry after the Retry-After delay.");
    const failures = service.logs.records().filter((record) => record.msg === "request failed");
    expect(failures.map((record) => record.request_id)).toEqual([busy.headers["x-request-id"]]);

    expect((await request(service.app).get("/api/v1/posts")).status).toBe(200);
  });
});
