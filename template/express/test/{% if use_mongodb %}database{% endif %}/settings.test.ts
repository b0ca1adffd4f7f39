import { describe, expect, it } from "vitest";

import { describeDatabase } from "../../src/database/engine.js";
import { ConfigError, loadConfig } from "../../src/settings.js";
import { validEnv } from "../helpers/app.js";

describe("database settings", () => {
  it("refuses to start without DATABASE_URL and names it", () => {
    const env: Record<string, string> = { ...validEnv() };
    delete env.DATABASE_URL;
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/DATABASE_URL: is required/);
  });

  it.each([
    ["a URL of another database", "postgresql://u:p@localhost:5432/db"],
    ["a MongoDB URL without a database name", "mongodb://127.0.0.1:27017/"],
    ["a MongoDB URL without a path", "mongodb://127.0.0.1:27017?directConnection=true"],
  ])("refuses %s and names DATABASE_URL", (_what, url) => {
    expect(() => loadConfig({ ...validEnv(), DATABASE_URL: url })).toThrow(/DATABASE_URL: must look like mongodb:\/\//);
  });

  it.each([
    "mongodb://app:pw@db.internal:27017/app?replicaSet=rs0&authSource=admin",
    "mongodb://a.internal:27017,b.internal:27017,c.internal:27017/app?replicaSet=rs0",
    "mongodb+srv://app:pw@cluster.example.net/app?retryWrites=true",
  ])("accepts %s", (url) => {
    expect(loadConfig({ ...validEnv(), DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  it("describes where the URL points without its credentials", () => {
    expect(describeDatabase("mongodb://app:secret@a:27017,b:27017/app?replicaSet=rs0")).toBe("a:27017,b:27017/app");
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
