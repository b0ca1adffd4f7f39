// The names of cached values, in one place for the routes that read and those that drop them.

export function postKey(postId: string): string {
  return `post:${postId}`;
}

/** Every cached post embeds its author's name: renaming or deleting the author drops them. */
export function authorTag(authorId: string): string {
  return `author:${authorId}`;
}

/** The record of a signed-in user, read on each of their requests (never the password hash). */
export function userKey(userId: string): string {
  return `user:${userId}`;
}
