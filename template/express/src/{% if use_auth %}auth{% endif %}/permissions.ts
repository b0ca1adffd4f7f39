// Who may do what: the one map from role to permissions, read by every protected
// route (through guards.ts). A permission ending in `:own` covers only the
// caller's own records (their account, their posts); without it, everyone's.
import type { Role } from "../users/users.repository.js";

export type Permission =
  | "users:list"
  | "users:read"
  | "users:read:own"
  | "users:delete"
  | "posts:create"
  | "posts:read"
  | "posts:update"
  | "posts:update:own"
  | "posts:delete"
  | "posts:delete:own";

const USER: readonly Permission[] = [
  "users:read:own",
  "posts:create",
  "posts:read",
  "posts:update:own",
  "posts:delete:own",
];

export const PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  user: new Set(USER),
  admin: new Set([...USER, "users:list", "users:read", "users:delete", "posts:update", "posts:delete"]),
};

/** True when `role` has `permission`, or its `:own` form and `owns` the record. */
export function allows(role: Role, permission: Permission, owns = false): boolean {
  const granted = PERMISSIONS[role];
  return granted.has(permission) || (owns && granted.has(`${permission}:own` as Permission));
}
