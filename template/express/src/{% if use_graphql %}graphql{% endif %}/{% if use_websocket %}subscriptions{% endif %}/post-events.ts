// Subscription.postEvents: its source is the subscription's own stream of bus
// events (opened by the socket with the filter it checked), and each event is
// shown as a PostEvent, its post as Query.post shows it.
import type { GraphQLSchema } from "graphql/index.js";

import type { BusEvent } from "../../websocket/bus.js";
import { fromPublic } from "../resolvers.js";

/** What a subscription's resolvers get: its stream of events, filtered as its arguments ask. */
export interface SubscriptionContext {
  events(): AsyncIterableIterator<BusEvent>;
}

const KINDS = { "post.created": "CREATED", "post.updated": "UPDATED", "post.deleted": "DELETED" } as const;

/** A bus event as a PostEvent: the same event id and time as every socket sends. */
function postEventOf({ message }: BusEvent) {
  if (message.type !== "post.created" && message.type !== "post.updated" && message.type !== "post.deleted") {
    throw new Error(`not a post event: ${message.type}`);
  }
  const { id, occurred_at: occurredAt } = message;
  const common = { id, kind: KINDS[message.type], occurredAt, postId: message.post.id };
  return message.type === "post.deleted" ? { ...common, post: null } : { ...common, post: fromPublic(message.post) };
}

/** Give the schema's Subscription.postEvents its source and its resolver. */
export function servePostEvents(schema: GraphQLSchema): void {
  const field = schema.getSubscriptionType()?.getFields().postEvents;
  if (!field) throw new Error("schema.graphql has no field Subscription.postEvents");
  // The authorId argument was read when the subscription was checked: the stream is filtered by it.
  field.subscribe = (_source: unknown, _args: unknown, context: SubscriptionContext) => context.events();
  field.resolve = (event: BusEvent) => postEventOf(event);
}
