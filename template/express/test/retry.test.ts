import { describe, expect, it } from "vitest";

import { backoffDelay, connectWithRetry, retry } from "../src/core/retry.js";
import { captureLogs } from "./helpers/logs.js";

// No real waiting: the sleeps are recorded instead.
function recorder() {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: (ms: number) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  };
}

describe("retry", () => {
  it("returns the first success without waiting", async () => {
    const { sleeps, sleep } = recorder();
    let calls = 0;
    const result = await retry(() => Promise.resolve(++calls), { sleep });
    expect(result).toBe(1);
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it("tries again until the operation succeeds", async () => {
    const { sleeps, sleep } = recorder();
    let calls = 0;
    const result = await retry(
      (attempt) => (++calls < 3 ? Promise.reject(new Error(`down ${attempt}`)) : Promise.resolve("up")),
      { sleep },
    );
    expect(result).toBe("up");
    expect(calls).toBe(3);
    expect(sleeps).toHaveLength(2);
  });

  it("gives up after three attempts and rethrows the last error", async () => {
    const { sleeps, sleep } = recorder();
    let calls = 0;
    const attempt = retry(() => Promise.reject(new Error(`failure ${++calls}`)), { sleep });
    await expect(attempt).rejects.toThrow("failure 3");
    expect(calls).toBe(3);
    expect(sleeps).toHaveLength(2);
  });

  it("backs off exponentially", async () => {
    const { sleeps, sleep } = recorder();
    await expect(
      retry(() => Promise.reject(new Error("down")), {
        attempts: 4,
        baseDelayMs: 100,
        maxDelayMs: 10_000,
        sleep,
        random: () => 1,
      }),
    ).rejects.toThrow("down");
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it("adds jitter between half and all of the backoff up to the maximum", () => {
    expect(backoffDelay(1, 100, 1_000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 1_000, () => 0.5)).toBe(75);
    expect(backoffDelay(3, 100, 1_000, () => 1)).toBe(400);
    expect(backoffDelay(10, 100, 1_000, () => 1)).toBe(1_000);
  });

  it("reports each failed attempt before waiting", async () => {
    const { sleep } = recorder();
    const reported: number[] = [];
    await expect(
      retry(() => Promise.reject(new Error("down")), {
        sleep,
        onRetry: (_error, attempt) => reported.push(attempt),
      }),
    ).rejects.toThrow("down");
    expect(reported).toEqual([1, 2]);
  });
});

describe("connectWithRetry", () => {
  it("warns once per failed attempt and then names the dependency and where it was looked for", async () => {
    const { sleeps, sleep } = recorder();
    const logs = captureLogs();
    const connecting = connectWithRetry(
      "Queue",
      "127.0.0.1:1",
      () => Promise.reject(new Error("connect ECONNREFUSED")),
      logs.logger,
      { sleep },
    );
    await expect(connecting).rejects.toThrow(
      "Could not connect to Queue at 127.0.0.1:1 after 3 attempts: connect ECONNREFUSED",
    );
    expect(sleeps).toHaveLength(2);
    const warnings = logs
      .records()
      .filter((record) => record.msg === "Queue at 127.0.0.1:1 is not reachable yet; retrying");
    expect(warnings.map((record) => record.attempt)).toEqual([1, 2]);
  });

  it("returns what the first successful attempt connected", async () => {
    const logs = captureLogs();
    await expect(connectWithRetry("Queue", "127.0.0.1:1", () => Promise.resolve("client"), logs.logger)).resolves.toBe(
      "client",
    );
    expect(logs.records()).toEqual([]);
  });
});
