// A page of posts with their authors costs two round trips whatever its size (the
// posts, then their authors by one $in), counted by the driver's command monitoring
// on the very routes the API serves.
import { randomUUID } from "node:crypto";

import type { MongoClient } from "mongodb";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createApp } from "../../src/app.js";
import { collections } from "../../src/database/documents.js";
import { createClient } from "../../src/database/engine.js";
import { mongoRepositories } from "../../src/database/repositories.js";
import type { Express } from "express";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { ownDatabase, type OwnDatabase } from "../helpers/databases.js";

let database: OwnDatabase;
let service: TestApp;
let monitored: MongoClient;
let app: Express;
const commands: string[] = [];

beforeAll(async () => {
  database = await ownDatabase();
  service = await startTestApp({ env: { DATABASE_URL: database.url } });
  // The same repositories, on a client that reports every command it sends.
  monitored = createClient(service.config, { monitorCommands: true });
  monitored.on("commandStarted", (event) => commands.push(event.commandName));
  const repositories = mongoRepositories({
    client: monitored,
    ...collections(monitored.db()),
    reads: { maxTimeMS: 5000 },
  });
  app = createApp({ ...service.deps, repositories });

  // Sixty posts by six authors, so a page of 50 has many authors.
  const authors: string[] = [];
  for (let i = 0; i < 6; i++) {
    const response = await request(service.app)
      .post("/api/v1/users")
      .send({ email: `writer-${randomUUID()}@example.com`, name: `Writer ${i}` });
    authors.push((response.body as { id: string }).id);
  }
  await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      request(service.app)
        .post("/api/v1/posts")
        .send({ author_id: authors[i % authors.length], title: `Post ${i}`, body: "" })
        .expect(201),
    ),
  );
}, 60_000);

afterAll(async () => {
  await monitored.close();
  await service.close();
  await database.drop();
});

async function countCommands(
  send: () => Promise<request.Response>,
): Promise<{ response: request.Response; count: number }> {
  commands.length = 0;
  const response = await send();
  return { response, count: commands.length };
}

describe("posts with their authors", () => {
  it("reads a page of 50 posts with their authors in at most two round trips", async () => {
    const { response, count } = await countCommands(() => request(app).get("/api/v1/posts").query({ limit: 50 }));
    expect(response.status).toBe(200);
    const page = response.body as { items: { author: { name: string } }[] };
    expect(page.items).toHaveLength(50);
    expect(new Set(page.items.map((post) => post.author.name)).size).toBe(6);
    expect(count).toBeLessThanOrEqual(2);
    expect(commands).toEqual(["find", "find"]);
  });

  it("reads the next page after a cursor in at most two round trips", async () => {
    const first = await request(app).get("/api/v1/posts").query({ limit: 50 });
    const cursor = (first.body as { next_cursor: string }).next_cursor;
    const { response, count } = await countCommands(() =>
      request(app).get("/api/v1/posts").query({ limit: 50, cursor }),
    );
    expect(response.status).toBe(200);
    expect((response.body as { items: unknown[] }).items).toHaveLength(10);
    expect(count).toBeLessThanOrEqual(2);
  });

  it("reads one post with its author in at most two round trips", async () => {
    const page = await request(app).get("/api/v1/posts").query({ limit: 1 });
    const [post] = (page.body as { items: { id: string }[] }).items;
    const { response, count } = await countCommands(() => request(app).get(`/api/v1/posts/${post?.id ?? ""}`));
    expect(response.status).toBe(200);
    expect(count).toBeLessThanOrEqual(2);
  });
});
