// `npm run migrate` creates the collections, validators and indexes, each step once:
// running it again changes nothing and records nothing new.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createClient } from "../../src/database/engine.js";
import { loadSteps, migrate } from "../../src/database/migrations.js";
import { withDatabaseName } from "../helpers/databases.js";
import { validEnv } from "../helpers/app.js";

const run = promisify(execFile);
const url = withDatabaseName(validEnv().DATABASE_URL ?? "", `migrate_${String(Date.now())}_${String(process.pid)}`);
const client = createClient({ databaseUrl: url, dbPoolSize: 2, dbPoolTimeoutSeconds: 10 });
const db = client.db();

beforeAll(async () => {
  await db.dropDatabase();
});

afterAll(async () => {
  await db.dropDatabase();
  await client.close();
});

describe("migrate", () => {
  it("applies every step once and records it, however often it runs", async () => {
    const names = (await loadSteps()).map((step) => step.name);
    expect(names[0]).toBe("0001_users_posts");
    expect(await migrate(db)).toEqual(names);
    expect(await migrate(db)).toEqual([]);
    const records = await db.collection<{ _id: string }>("migrations").find().toArray();
    expect(records.map((record) => record._id)).toEqual(names);
  });

  it("runs from the command line, and a second run applies nothing", async () => {
    const env = { ...process.env, DATABASE_URL: url };
    const command = ["--import", "tsx", "src/database/migrate.ts"];
    const first = await run(process.execPath, command, { env });
    const second = await run(process.execPath, command, { env });
    expect(first.stderr + second.stderr).toMatch(/nothing to apply\s*$/);
    expect(await db.collection("migrations").countDocuments()).toBe((await loadSteps()).length);
  });

  it("gives users and posts their validators", async () => {
    const found = await db.listCollections({ name: { $in: ["users", "posts"] } }).toArray();
    const schemas = Object.fromEntries(
      found.map((collection) => {
        const { options } = collection as { options?: { validator?: { $jsonSchema?: { required?: string[] } } } };
        return [collection.name, options?.validator?.$jsonSchema?.required];
      }),
    );
    expect(schemas.users).toEqual(["_id", "email", "name", "role", "created_at", "keyset"]);
    expect(schemas.posts).toEqual(["_id", "author_id", "title", "body", "created_at", "updated_at", "keyset"]);
  });

  it("creates the unique case-insensitive email index and the keyset indexes", async () => {
    const users = (await db.collection("users").listIndexes().toArray()) as { name: string }[];
    const posts = (await db.collection("posts").listIndexes().toArray()) as { name: string }[];
    expect(users.find((index) => index.name === "users_email")).toMatchObject({
      key: { email: 1 },
      unique: true,
      collation: { locale: "en", strength: 2 },
    });
    expect(users.find((index) => index.name === "users_keyset")).toMatchObject({ key: { keyset: -1 } });
    expect(posts.find((index) => index.name === "posts_keyset")).toMatchObject({ key: { keyset: -1 } });
    expect(posts.find((index) => index.name === "posts_author_keyset")).toMatchObject({
      key: { author_id: 1, keyset: -1 },
    });
  });
});
