// Use cases of the users feature; routes call these, storage sits behind the repository.
import { randomUUID } from "node:crypto";

import { splitPage, type PageRequest } from "../core/pagination.js";
import { now } from "../core/timestamps.js";
import { UserNotFoundError } from "./users.errors.js";
import type { User, UserRepository } from "./users.repository.js";
import type { UserCreate } from "./users.schemas.js";

/**
 * A new `user`-role account; rejects with EmailTakenError when the address is in use.
 * With auth, `passwordHash` is stored with it.
 */
export async function registerUser(users: UserRepository, data: UserCreate, passwordHash?: string): Promise<User> {
  const user: User = { id: randomUUID(), email: data.email, name: data.name, role: "user", createdAt: now() };
  // No look-up first: the unique email is enforced by the store itself, so two
  // concurrent sign-ups cannot both pass a check and then both insert.
  await (passwordHash === undefined ? users.add(user) : users.add(user, passwordHash));
  return user;
}

export async function getUser(users: UserRepository, id: string): Promise<User> {
  const user = await users.get(id);
  if (!user) throw new UserNotFoundError();
  return user;
}

export async function listUsers(
  users: UserRepository,
  page: PageRequest,
): Promise<{ items: User[]; nextCursor: string | null }> {
  return splitPage(await users.listAfter(page.cursor, page.limit + 1), page.limit);
}

export async function deleteUser(users: UserRepository, id: string): Promise<void> {
  if (!(await users.delete(id))) throw new UserNotFoundError();
}
