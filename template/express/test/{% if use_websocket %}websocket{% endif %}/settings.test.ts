import { describe, expect, it } from "vitest";

import { loadConfig } from "../../src/settings.js";
import { validEnv } from "../helpers/app.js";

describe("WebSocket settings", () => {
  it("pings every WS_PING_SECONDS, 25 by default, any number of seconds above 0", () => {
    expect(loadConfig(validEnv()).wsPingSeconds).toBe(25);
    expect(loadConfig({ ...validEnv(), WS_PING_SECONDS: "0.5" }).wsPingSeconds).toBe(0.5);
    expect(() => loadConfig({ ...validEnv(), WS_PING_SECONDS: "0" })).toThrow(/WS_PING_SECONDS/);
  });

  it("allows WS_MAX_CONNECTIONS open sockets, 1000 by default, at least 1", () => {
    expect(loadConfig(validEnv()).wsMaxConnections).toBe(1000);
    expect(() => loadConfig({ ...validEnv(), WS_MAX_CONNECTIONS: "0" })).toThrow(/WS_MAX_CONNECTIONS/);
    expect(() => loadConfig({ ...validEnv(), WS_MAX_CONNECTIONS: "1.5" })).toThrow(/WS_MAX_CONNECTIONS/);
  });

  it("keeps WS_QUEUE_SIZE messages per socket, 100 by default, at least 1", () => {
    expect(loadConfig(validEnv()).wsQueueSize).toBe(100);
    expect(loadConfig({ ...validEnv(), WS_QUEUE_SIZE: "1" }).wsQueueSize).toBe(1);
    expect(() => loadConfig({ ...validEnv(), WS_QUEUE_SIZE: "0" })).toThrow(/WS_QUEUE_SIZE/);
  });
});
