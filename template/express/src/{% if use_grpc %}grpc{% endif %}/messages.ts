// Domain objects as the .proto's messages: each from the REST representation, so the
// two APIs show the same fields with the same values (instants as RFC 3339 text).
import type { PostPublic } from "../posts/posts.schemas.js";
import type { UserPublic } from "../users/users.schemas.js";
import type { Post, User } from "./types.js";

export function userMessage(user: UserPublic): User {
  return { id: user.id, email: user.email, name: user.name, role: user.role, created_at: user.created_at };
}

export function postMessage(post: PostPublic): Post {
  return {
    id: post.id,
    title: post.title,
    body: post.body,
    author: { id: post.author.id, name: post.author.name },
    created_at: post.created_at,
    updated_at: post.updated_at,
  };
}

/** A page's cursor as the .proto has it: empty on the last page. */
export function cursorText(cursor: string | null): string {
  return cursor ?? "";
}

/** Proto3 cannot tell an empty text from an unset one: empty means "not given". */
export function given(text: string): string | undefined {
  return text === "" ? undefined : text;
}

/** `limit` 0 is the proto default: not given, so the page size is REST's default. */
export function pageLimit(limit: number): number | undefined {
  return limit === 0 ? undefined : limit;
}
