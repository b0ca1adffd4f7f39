// The messages of the events.v1 subprotocol (events.schema.json): what the server
// sends, built here, and what a client may send, read here.
import { randomUUID } from "node:crypto";

import { z } from "zod";

import { now, type Timestamp } from "../core/timestamps.js";
import { uuidString } from "../core/validation.js";
import type { PostPublic } from "../posts/posts.schemas.js";

export const SUBPROTOCOL = "events.v1";

interface PostEventMessage<Type, Post> {
  type: Type;
  /** The event's own id. */
  id: string;
  occurred_at: Timestamp;
  post: Post;
}

export type ServerMessage =
  | PostEventMessage<"post.created" | "post.updated", PostPublic>
  | PostEventMessage<"post.deleted", { id: string }>
  | { type: "pong" }
  | { type: "subscribed"; author_id: string | null }
  | { type: "error"; code: "invalid_message"; detail: string };

/** A post was written or changed: its REST representation. */
export function postChanged(type: "post.created" | "post.updated", post: PostPublic): ServerMessage {
  return { type, id: randomUUID(), occurred_at: now(), post };
}

/** A post was removed: its id only. */
export function postDeleted(id: string): ServerMessage {
  return { type: "post.deleted", id: randomUUID(), occurred_at: now(), post: { id } };
}

const ClientMessage = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("ping") }),
  // No author_id, or null: every author.
  z.strictObject({ type: z.literal("subscribe"), author_id: uuidString.nullable().optional() }),
]);

export type ClientMessage = z.output<typeof ClientMessage>;

/** What a client sent, or the error message that answers it. */
export function readClientMessage(text: string): ClientMessage | (ServerMessage & { type: "error" }) {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return invalid("The message is not JSON.");
  }
  const parsed = ClientMessage.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return invalid(
    `${where}${issue?.message ?? "not a message"}. Send {"type":"ping"} or {"type":"subscribe","author_id":<uuid or null>}.`,
  );
}

function invalid(detail: string): ServerMessage & { type: "error" } {
  return { type: "error", code: "invalid_message", detail };
}
