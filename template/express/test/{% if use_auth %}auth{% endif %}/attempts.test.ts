import { describe, expect, it } from "vitest";

import { MemoryAttemptCounter } from "../../src/auth/attempts.js";

describe("in-process attempt counter", () => {
  it("blocks a key after the limit, leaves other keys alone and forgets on reset", async () => {
    const counter = new MemoryAttemptCounter(2);
    await counter.fail("a|client");
    expect(await counter.blockedFor("a|client")).toBe(0);
    await counter.fail("a|client");
    const blocked = await counter.blockedFor("a|client");
    expect(blocked).toBeGreaterThanOrEqual(1);
    expect(blocked).toBeLessThanOrEqual(60);
    expect(await counter.blockedFor("b|client")).toBe(0);
    await counter.reset("a|client");
    expect(await counter.blockedFor("a|client")).toBe(0);
  });
});
