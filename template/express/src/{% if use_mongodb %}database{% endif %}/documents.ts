// The documents as the migrations' validators accept them (migrations.ts), so every
// query is checked against them. A field changes here and in a new migration step
// together, never in one alone. Ids are UUIDs as strings; timestamps are BSON dates,
// to the millisecond, as the API's timestamps are.
import type { Collection, Db, MongoClient } from "mongodb";

import { formatTimestamp, type Timestamp } from "../core/timestamps.js";
import type { Role } from "../users/users.repository.js";

export interface UserDocument {
  _id: string;
  /** Lower-cased by the API; the unique index compares case-insensitively all the same. */
  email: string;
  name: string;
  role: Role;
  created_at: Date;
  /** The sort key of keyset pages: keysetOf(created_at, _id). */
  keyset: string;
  /** Written by every change to the user's posts, in the same transaction (posts.ts). */
  post_count: number;
  /** The Argon2id hash of the password, with the auth task. */
  password_hash?: string;
}

export interface PostDocument {
  _id: string;
  author_id: string;
  title: string;
  body: string;
  created_at: Date;
  updated_at: Date;
  keyset: string;
}

export interface Collections {
  users: Collection<UserDocument>;
  posts: Collection<PostDocument>;
}

/** A collection whose documents belong to one user, named by `field`: they go with the user. */
export interface OwnedByUser {
  collection: string;
  field: string;
}

/**
 * Besides posts, what deleting a user deletes in the same transaction (users.ts):
 * each task that keeps documents of a user adds its collection here when its module
 * loads (the auth task its refresh tokens), as PostgreSQL's ON DELETE CASCADE does.
 */
export const OWNED_BY_USER: OwnedByUser[] = [];

/** What the repositories work with: the client (for transactions) and the collections. */
export interface Store extends Collections {
  client: MongoClient;
  /** Every read gives up on the server after this long (REQUEST_TIMEOUT_SECONDS). */
  reads: { maxTimeMS: number };
}

export function collections(db: Db): Collections {
  return { users: db.collection<UserDocument>("users"), posts: db.collection<PostDocument>("posts") };
}

/**
 * One string field that sorts as (created_at, id) does, both descending: the time in
 * its fixed-width ISO form, then the id. A page after a cursor is one range on one
 * index ({keyset: {$lt: …}}), which every server plans as an index scan.
 */
export function keysetOf(createdAt: Timestamp, id: string): string {
  return `${createdAt}|${id}`;
}

/** A BSON date read back as the API's timestamp text. */
export function timestampOf(date: Date): Timestamp {
  return formatTimestamp(date);
}
