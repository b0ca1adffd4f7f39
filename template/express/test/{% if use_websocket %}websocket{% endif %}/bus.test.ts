// The in-process bus: every listener hears each event within `publish`, and one
// listener's failure reaches neither the publisher nor the other listeners.
import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { LocalBus, type BusEvent } from "../../src/websocket/bus.js";
import { postDeleted } from "../../src/websocket/messages.js";
import { captureLogs } from "../helpers/logs.js";

describe("the in-process bus", () => {
  it("hands each event to every listener at once, whatever one of them throws", async () => {
    const logs = captureLogs();
    const bus = new LocalBus(logs.logger);
    const heard: BusEvent[] = [];
    bus.subscribe(() => {
      throw new Error("a broken listener");
    });
    bus.subscribe((event) => heard.push(event));
    const event: BusEvent = { authorId: randomUUID(), message: postDeleted(randomUUID()) };

    const published = bus.publish(event);
    expect(heard).toEqual([event]);
    await expect(published).resolves.toBeUndefined();
    expect(logs.records()).toContainEqual(
      expect.objectContaining({ level: "warn", msg: "post event listener failed" }),
    );
  });
});
