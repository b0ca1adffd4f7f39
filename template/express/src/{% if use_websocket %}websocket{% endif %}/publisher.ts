// What the posts service tells of its changes, turned into events.v1 messages on the bus.
import type { Post } from "../posts/posts.repository.js";
import type { PostEvents } from "../posts/posts.events.js";
import { toPostPublic } from "../posts/posts.schemas.js";
import type { EventBus } from "./bus.js";
import { postChanged, postDeleted, type ServerMessage } from "./messages.js";

/** The posts service's changes, published once stored; the request never waits for the bus. */
export function publisher(bus: EventBus): PostEvents {
  const publish = (authorId: string, message: ServerMessage): void => {
    // Never rejects: a failure to publish is logged by the bus, and the event dropped.
    void bus.publish({ authorId, message });
  };
  return {
    created: (post: Post) => {
      publish(post.author.id, postChanged("post.created", toPostPublic(post)));
    },
    updated: (post: Post) => {
      publish(post.author.id, postChanged("post.updated", toPostPublic(post)));
    },
    deleted: (id: string, authorId: string) => {
      publish(authorId, postDeleted(id));
    },
  };
}
