// Step 1: users and posts, their validators and indexes.
import { EMAIL_COLLATION, validated, type Step } from "../migrations.js";

export const USERS_SCHEMA = {
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

export const step: Step = {
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
};
