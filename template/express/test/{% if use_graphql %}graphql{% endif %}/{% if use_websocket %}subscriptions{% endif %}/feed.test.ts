// Each subscription's stream of events: filtered by author, bounded, and gone
// from the feed once the subscription ends, however it ends.
import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { PostEventFeed } from "../../../src/graphql/subscriptions/feed.js";
import type { BusEvent } from "../../../src/websocket/bus.js";
import { postDeleted } from "../../../src/websocket/messages.js";

const eventOf = (authorId: string): BusEvent => ({ authorId, message: postDeleted(randomUUID()) });

describe("PostEventFeed", () => {
  it("gives a stream its author's events in order, and every author's to one without a filter", async () => {
    const feed = new PostEventFeed(10);
    const author = randomUUID();
    const mine = feed.open(author, () => undefined);
    const all = feed.open(null, () => undefined);
    const events = [eventOf(author), eventOf(randomUUID()), eventOf(author)];
    for (const event of events) feed.deliver(event);
    expect([(await mine.next()).value, (await mine.next()).value]).toEqual([events[0], events[2]]);
    for (const event of events) expect((await all.next()).value).toBe(event);
  });

  it("hands an event to a reader already waiting for it", async () => {
    const feed = new PostEventFeed(1);
    const stream = feed.open(null, () => undefined);
    const waiting = stream.next();
    const event = eventOf(randomUUID());
    feed.deliver(event);
    expect(await waiting).toEqual({ value: event, done: false });
  });

  it("ends a stream whose queue overflows, and tells it once", async () => {
    const feed = new PostEventFeed(2);
    let overflows = 0;
    const stream = feed.open(null, () => (overflows += 1));
    for (let i = 0; i < 4; i += 1) feed.deliver(eventOf(randomUUID()));
    expect(overflows).toBe(1);
    expect(feed.size).toBe(0);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it("forgets a stream once it returns, and ends a read it was waiting for", async () => {
    const feed = new PostEventFeed(5);
    const stream = feed.open(null, () => undefined);
    const waiting = stream.next();
    expect(feed.size).toBe(1);
    await stream.return?.();
    expect(feed.size).toBe(0);
    expect(await waiting).toEqual({ value: undefined, done: true });
    feed.deliver(eventOf(randomUUID()));
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });
});
