// Request and response bodies of /users.
import { z } from "zod";

import { formatTimestamp } from "../core/timestamps.js";
import { text, uuidString } from "../core/validation.js";
import type { Role, User } from "./users.repository.js";

// Deliberately loose (one @, no spaces, a dot in the domain): the only real check
// of an address is mail reaching it. Both stacks apply this same rule.
const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$/u;

const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(text(0, 254))
  .refine((value) => EMAIL.test(value), { error: "not a valid email address" });

// Unknown fields are refused, so nobody can give themselves a role.
export const UserCreate = z.strictObject({ email, name: text(1, 100) });
export type UserCreate = z.output<typeof UserCreate>;

export const UserPath = z.strictObject({ user_id: uuidString });

export interface UserPublic {
  id: string;
  email: string;
  name: string;
  role: Role;
  created_at: string;
}

export function toUserPublic(user: User): UserPublic {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    created_at: formatTimestamp(user.createdAt),
  };
}
