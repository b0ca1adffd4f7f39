// What the storage guarantees whatever the requests race with: one account per email
// (the unique, case-insensitive index decides), a user's posts go with the user, and
// no post outlives its author (both transactions).
import { randomUUID } from "node:crypto";

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { MongoPostRepository } from "../../src/database/posts.js";
import { MongoUserRepository } from "../../src/database/users.js";
import { collections, type Store } from "../../src/database/documents.js";
import { now } from "../../src/core/timestamps.js";
import { UnknownAuthorError } from "../../src/posts/posts.errors.js";
import { EmailTakenError } from "../../src/users/users.errors.js";
import type { User } from "../../src/users/users.repository.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { ownDatabase, type OwnDatabase } from "../helpers/databases.js";

let database: OwnDatabase;
let service: TestApp;
let store: Store;

beforeAll(async () => {
  database = await ownDatabase();
  service = await startTestApp({ env: { DATABASE_URL: database.url } });
  store = { client: service.deps.mongo, ...collections(service.deps.db), reads: { maxTimeMS: 5000 } };
});

afterAll(async () => {
  await service.close();
  await database.drop();
});

function newUser(email = `someone-${randomUUID()}@example.com`): User {
  return { id: randomUUID(), email, name: "Ada", role: "user", createdAt: now() };
}

async function signUp(): Promise<string> {
  const response = await request(service.app)
    .post("/api/v1/users")
    .send({ email: `author-${randomUUID()}@example.com`, name: "Ada" });
  expect(response.status).toBe(201);
  return (response.body as { id: string }).id;
}

async function writePost(authorId: string): Promise<request.Response> {
  return request(service.app).post("/api/v1/posts").send({ author_id: authorId, title: "Hello", body: "Text." });
}

describe("MongoDB storage", () => {
  it("gives exactly one 201 to twenty concurrent sign-ups with one email", async () => {
    const email = `race-${randomUUID()}@example.com`;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => request(service.app).post("/api/v1/users").send({ email, name: "Ada" })),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(19).fill(409)]);
    expect(await store.users.countDocuments({ email })).toBe(1);
  });

  it("compares emails without regard to case in the unique index itself", async () => {
    const users = new MongoUserRepository(store);
    const email = `case-${randomUUID()}@example.com`;
    await users.add(newUser(email));
    await expect(users.add(newUser(email.toUpperCase()))).rejects.toThrow(EmailTakenError);
  });

  it("deletes a user's posts with the user", async () => {
    const authorId = await signUp();
    for (let i = 0; i < 3; i++) expect((await writePost(authorId)).status).toBe(201);
    expect(await store.posts.countDocuments({ author_id: authorId })).toBe(3);

    expect((await request(service.app).delete(`/api/v1/users/${authorId}`)).status).toBe(204);
    expect(await store.posts.countDocuments({ author_id: authorId })).toBe(0);
  });

  it("refuses a post for a deleted author", async () => {
    const authorId = await signUp();
    expect((await request(service.app).delete(`/api/v1/users/${authorId}`)).status).toBe(204);
    const response = await writePost(authorId);
    expect(response.status).toBe(422);
    expect(await store.posts.countDocuments({ author_id: authorId })).toBe(0);
  });

  it("leaves no post behind when its author is deleted while posts are being added", async () => {
    const users = new MongoUserRepository(store);
    const posts = new MongoPostRepository(store);
    const author = newUser();
    await users.add(author);
    const adds = Array.from({ length: 10 }, () => {
      const created = now();
      return posts.add({
        id: randomUUID(),
        author: { id: author.id, name: author.name },
        title: "Racing",
        body: "",
        createdAt: created,
        updatedAt: created,
      });
    });
    const results = await Promise.allSettled([...adds, users.delete(author.id)]);
    for (const result of results) {
      if (result.status === "rejected") expect(result.reason).toBeInstanceOf(UnknownAuthorError);
    }
    expect(await store.users.countDocuments({ _id: author.id })).toBe(0);
    expect(await store.posts.countDocuments({ author_id: author.id })).toBe(0);
  });

  it("refuses a document its collection's validator does not accept", async () => {
    await expect(
      service.deps.db.collection<{ _id: string; email: unknown }>("users").insertOne({ _id: randomUUID(), email: 42 }),
    ).rejects.toMatchObject({ code: 121 });
  });
});
