// The collections as code: versioned steps, each applied once and recorded in the
// `migrations` collection under its name, and each safe to run again (a step that
// failed half-way is simply run again). A step never changes once released: a
// change to the documents is a new step here and a change in documents.ts together.
import type { Db, Document } from "mongodb";

export interface Step {
  name: string;
  apply(db: Db): Promise<void>;
}

/** Case-insensitive comparison of emails: the unique index's guarantee. */
export const EMAIL_COLLATION = { locale: "en", strength: 2 } as const;

const USERS_SCHEMA = {
  bsonType: "object",
  required: ["_id", "email", "name", "role", "created_at", "keyset"],
  properties: {
    _id: { bsonType: "string" },
    email: { bsonType: "string", minLength: 3, maxLength: 254 },
    name: { bsonType: "string", minLength: 1, maxLength: 100 },
    role: { enum: ["user", "admin"] },
    created_at: { bsonType: "date" },
    keyset: { bsonType: "string" },
    post_count: { bsonType: ["int", "long"], minimum: 0 },
  },
};

const POSTS_SCHEMA = {
  bsonType: "object",
  required: ["_id", "author_id", "title", "body", "created_at", "updated_at", "keyset"],
  properties: {
    _id: { bsonType: "string" },
    author_id: { bsonType: "string" },
    title: { bsonType: "string", minLength: 1, maxLength: 200 },
    body: { bsonType: "string" },
    created_at: { bsonType: "date" },
    updated_at: { bsonType: "date" },
    keyset: { bsonType: "string" },
  },
};

/** Create `name` with `schema` as its validator, or set it on the collection that exists. */
async function validated(db: Db, name: string, schema: Document): Promise<void> {
  const options = { validator: { $jsonSchema: schema }, validationLevel: "strict", validationAction: "error" };
  const exists = (await db.listCollections({ name }, { nameOnly: true }).toArray()).length > 0;
  if (exists) await db.command({ collMod: name, ...options });
  else await db.createCollection(name, options);
}

export const STEPS: readonly Step[] = [
  {
    name: "0001_users_posts",
    async apply(db) {
      await validated(db, "users", USERS_SCHEMA);
      await validated(db, "posts", POSTS_SCHEMA);
      // Creating an index that exists with the same keys and options does nothing.
      await db.collection("users").createIndexes([
        { key: { email: 1 }, name: "users_email", unique: true, collation: EMAIL_COLLATION },
        { key: { keyset: -1 }, name: "users_keyset" },
      ]);
      await db.collection("posts").createIndexes([
        { key: { keyset: -1 }, name: "posts_keyset" },
        { key: { author_id: 1, keyset: -1 }, name: "posts_author_keyset" },
      ]);
    },
  },
];

interface MigrationRecord {
  _id: string;
  applied_at: Date;
}

/** Apply every step not yet recorded, in order; the names of those applied now. */
export async function migrate(db: Db, steps: readonly Step[] = STEPS): Promise<string[]> {
  const records = db.collection<MigrationRecord>("migrations");
  const done = new Set((await records.find({}, { projection: { _id: 1 } }).toArray()).map((record) => record._id));
  const applied: string[] = [];
  for (const step of steps) {
    if (done.has(step.name)) continue;
    await step.apply(db);
    // An upsert: two migrate runs at once both apply the step (harmless) and record it once.
    await records.updateOne({ _id: step.name }, { $setOnInsert: { applied_at: new Date() } }, { upsert: true });
    applied.push(step.name);
  }
  return applied;
}
