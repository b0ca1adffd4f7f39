// The users repository over MongoDB: one command per call, but for deletion, which
// takes the user's posts (and every document OWNED_BY_USER) with it in one transaction.
import type { Cursor } from "../core/pagination.js";
import { EmailTakenError } from "../users/users.errors.js";
import type { User, UserRepository } from "../users/users.repository.js";
import { keysetOf, OWNED_BY_USER, timestampOf, type Store, type UserDocument } from "./documents.js";
import { violatesUnique } from "./errors.js";
import { withTransaction } from "./transaction.js";

export const EMAIL_INDEX = "users_email";

/** The fields of a User. */
const USER_FIELDS = { email: 1, name: 1, role: 1, created_at: 1 } as const;

export function toUser(doc: Pick<UserDocument, "_id" | "email" | "name" | "role" | "created_at">): User {
  return { id: doc._id, email: doc.email, name: doc.name, role: doc.role, createdAt: timestampOf(doc.created_at) };
}

export class MongoUserRepository implements UserRepository {
  constructor(private readonly store: Store) {}

  /** `passwordHash` is given with the auth task. */
  async add(user: User, passwordHash?: string): Promise<void> {
    try {
      await this.store.users.insertOne({
        _id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        created_at: new Date(user.createdAt),
        keyset: keysetOf(user.createdAt, user.id),
        post_count: 0,
        ...(passwordHash === undefined ? {} : { password_hash: passwordHash }),
      });
    } catch (err) {
      // No look-up first: the unique index decides, so concurrent sign-ups cannot both win.
      if (violatesUnique(err, EMAIL_INDEX)) throw new EmailTakenError();
      throw err;
    }
  }

  async get(id: string): Promise<User | undefined> {
    const doc = await this.store.users.findOne({ _id: id }, { ...this.store.reads, projection: USER_FIELDS });
    return doc ? toUser(doc) : undefined;
  }

  async listAfter(after: Cursor | undefined, limit: number): Promise<User[]> {
    const filter = after ? { keyset: { $lt: keysetOf(after.createdAt, after.id) } } : {};
    const docs = await this.store.users
      .find(filter, { ...this.store.reads, projection: USER_FIELDS })
      .sort({ keyset: -1 })
      .limit(limit)
      .toArray();
    return docs.map(toUser);
  }

  async delete(id: string): Promise<boolean> {
    const { client, users, posts } = this.store;
    // The posts go with the user, in the same transaction: a post being added meanwhile
    // writes the user's document too (posts.ts), so one of the two conflicts and retries.
    return withTransaction(client, async (session) => {
      const removed = await users.deleteOne({ _id: id }, { session });
      if (removed.deletedCount === 0) return false;
      await posts.deleteMany({ author_id: id }, { session });
      const db = client.db(users.dbName);
      for (const owned of OWNED_BY_USER) {
        await db.collection(owned.collection).deleteMany({ [owned.field]: id }, { session });
      }
      return true;
    });
  }
}
