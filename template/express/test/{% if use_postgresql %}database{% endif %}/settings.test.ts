import { describe, expect, it } from "vitest";

import { ConfigError, loadConfig } from "../../src/settings.js";
import { validEnv } from "../helpers/app.js";

describe("database settings", () => {
  it("refuses to start without DATABASE_URL and names it", () => {
    const env: Record<string, string> = { ...validEnv() };
    delete env.DATABASE_URL;
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/DATABASE_URL: is required/);
  });

  it("refuses a DATABASE_URL that is not a PostgreSQL URL", () => {
    expect(() => loadConfig({ ...validEnv(), DATABASE_URL: "mysql://u:p@localhost/db" })).toThrow(/DATABASE_URL/);
  });

  it("accepts connection parameters in the DATABASE_URL query string", () => {
    const url = "postgresql://app:pw@db.internal:5432/app?sslmode=require";
    expect(loadConfig({ ...validEnv(), DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  it("sizes the pool from DB_POOL_SIZE with a default of 10", () => {
    expect(loadConfig(validEnv()).dbPoolSize).toBe(10);
    expect(loadConfig({ ...validEnv(), DB_POOL_SIZE: "25" }).dbPoolSize).toBe(25);
    expect(() => loadConfig({ ...validEnv(), DB_POOL_SIZE: "0" })).toThrow(/DB_POOL_SIZE/);
  });

  it("waits DB_POOL_TIMEOUT_SECONDS for a pooled connection, 5 by default", () => {
    expect(loadConfig(validEnv()).dbPoolTimeoutSeconds).toBe(5);
    expect(loadConfig({ ...validEnv(), DB_POOL_TIMEOUT_SECONDS: "0.5" }).dbPoolTimeoutSeconds).toBe(0.5);
    expect(() => loadConfig({ ...validEnv(), DB_POOL_TIMEOUT_SECONDS: "0" })).toThrow(/DB_POOL_TIMEOUT_SECONDS/);
  });
});
