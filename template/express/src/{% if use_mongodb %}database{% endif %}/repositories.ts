import type { Repositories } from "../api.js";
import type { Store } from "./documents.js";
import { MongoPostRepository } from "./posts.js";
import { MongoUserRepository } from "./users.js";

/** The API's storage in MongoDB, through `store`. */
export function mongoRepositories(store: Store): Repositories {
  return { users: new MongoUserRepository(store), posts: new MongoPostRepository(store) };
}
