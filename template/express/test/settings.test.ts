import { describe, expect, it } from "vitest";
import { z } from "zod";

import { required } from "../src/core/config.js";
import { ConfigError, loadConfig } from "../src/settings.js";
import { validEnv } from "./helpers/app.js";

describe("settings", () => {
  it("applies the documented defaults", () => {
    const config = loadConfig(validEnv());
    expect(config).toMatchObject({
      host: "127.0.0.1",
      logLevel: "info",
      docsEnabled: true,
      corsOrigins: [],
      requestTimeoutSeconds: 30,
      maxConcurrentRequests: 32,
      shutdownTimeoutSeconds: 30,
      hstsEnabled: false,
    });
    expect(config.port).toBeGreaterThanOrEqual(1024);
  });

  it("reads values from the given environment", () => {
    const config = loadConfig({
      ...validEnv(),
      HOST: "0.0.0.0",
      PORT: "9001",
      LOG_LEVEL: "WARN",
      DOCS_ENABLED: "false",
      CORS_ORIGINS: "https://a.example,https://b.example",
      REQUEST_TIMEOUT_SECONDS: "5",
      SHUTDOWN_TIMEOUT_SECONDS: "12",
    });
    expect(config).toMatchObject({
      host: "0.0.0.0",
      port: 9001,
      logLevel: "warn",
      docsEnabled: false,
      corsOrigins: ["https://a.example", "https://b.example"],
      requestTimeoutSeconds: 5,
      shutdownTimeoutSeconds: 12,
    });
  });

  it("treats an empty value as unset", () => {
    expect(loadConfig({ ...validEnv(), PORT: "", CORS_ORIGINS: "" }).corsOrigins).toEqual([]);
  });

  it("refuses a bad value with a message naming the variable", () => {
    const attempt = () => loadConfig({ ...validEnv(), PORT: "eighty", LOG_LEVEL: "loud" });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT/);
    expect(attempt).toThrow(/LOG_LEVEL/);
  });

  it("refuses a boolean it cannot read", () => {
    expect(() => loadConfig({ ...validEnv(), DOCS_ENABLED: "maybe" })).toThrow(/DOCS_ENABLED/);
  });
});

describe("settings parts", () => {
  it("says a variable without a default is required when it is not set, and only then", () => {
    const url = z.string(required);
    const missing = url.safeParse(undefined);
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]?.message).toBe("is required");
    const wrongType = url.safeParse(5);
    expect(wrongType.error?.issues[0]?.message).not.toBe("is required");
  });
});
