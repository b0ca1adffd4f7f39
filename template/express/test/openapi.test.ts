import { randomUUID } from "node:crypto";

import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { API_PREFIX, apiPaths } from "../src/api.js";
import { createOpenApiDocument } from "../src/openapi.js";
import { startTestApp, type TestApp } from "./helpers/app.js";

// The parts of the document these tests read.
interface Parameter {
  name: string;
  in: string;
  required: boolean;
  schema: { type?: string; pattern?: string; minimum?: number; maximum?: number; default?: unknown };
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { required?: string[] }> };
}

const METHODS = ["get", "post", "patch", "delete"] as const;
type Method = (typeof METHODS)[number];

const isMethod = (name: string): name is Method => (METHODS as readonly string[]).includes(name);

function operations(document: Document): [Method, string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).flatMap(([method, operation]): [Method, string, Operation][] =>
      isMethod(method) ? [[method, path, operation]] : [],
    ),
  );
}

describe("/openapi.json", () => {
  let service: TestApp;
  let document: Document;
  beforeEach(async () => {
    service = await startTestApp();
    const response = await request(service.app).get("/openapi.json");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    document = response.body as Document;
  });
  afterEach(async () => {
    await service.close();
  });

  it("serves the OpenAPI 3.1 document generated from the route schemas", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document).toEqual(JSON.parse(JSON.stringify(createOpenApiDocument())));
  });

  it("documents only routes that exist, with the status each one answers", async () => {
    for (const [method, path, operation] of operations(document)) {
      // No body, no token, ids nobody has: each route answers with one of its documented errors.
      const url = path.replace(/\{[a-z_]+\}/g, () => randomUUID());
      const response = await request(service.app)[method](url);
      expect(Object.keys(operation.responses), `${method} ${path}`).toContain(String(response.status));
      if (response.status >= 400) {
        const problem = response.body as { detail: string };
        expect(problem.detail, `${method} ${path}`).not.toMatch(/^No resource at/);
        expect(Object.keys(operation.responses[response.status]?.content ?? {})).toEqual(["application/problem+json"]);
      }
    }
  });

  it("describes every validation error as a problem listing the bad fields", () => {
    for (const [method, path, operation] of operations(document)) {
      // A GET without path or query parameters has nothing to validate (If-None-Match is free text).
      if (method === "get" && !operation.parameters?.some((parameter) => parameter.in !== "header")) continue;
      // An endpoint beside the REST API (an API style's) answers bad input in its own protocol.
      if (!path.startsWith(API_PREFIX)) continue;
      expect(operation.responses["422"]?.content, `${method} ${path}`).toEqual({
        "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } },
      });
    }
    expect(document.components.schemas.Problem?.required).toEqual(["type", "title", "status", "detail"]);
  });

  it("documents the rate limit on API answers and the body limit", () => {
    for (const [method, path, operation] of operations(document)) {
      const api = apiPaths().some((prefix) => path.startsWith(prefix));
      expect("429" in operation.responses, `${method} ${path}`).toBe(api);
      expect("413" in operation.responses, `${method} ${path}`).toBe(operation.requestBody !== undefined);
      if (!api) continue;
      expect(Object.keys(operation.responses["429"]?.headers ?? {})).toContain("Retry-After");
      for (const response of Object.values(operation.responses)) {
        expect(Object.keys(response.headers ?? {})).toEqual(
          expect.arrayContaining(["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]),
        );
      }
    }
  });

  it("documents the page size as the integer the service accepts", () => {
    const limit = document.paths["/api/v1/posts"]?.get?.parameters?.find((parameter) => parameter.name === "limit");
    expect(limit?.schema).toEqual({ type: "integer", minimum: 1, maximum: 100, default: 20 });
  });

  it("documents id patterns that JSON Schema tools can use as they are", () => {
    // A JavaScript regex flag (/i) carried into the document would make every id invalid.
    const postId = document.paths["/api/v1/posts/{post_id}"]?.get?.parameters?.[0];
    const pattern = new RegExp(postId?.schema.pattern ?? "(?!)");
    const id = randomUUID();
    expect([id, id.toUpperCase(), id.replaceAll("-", "")].every((value) => pattern.test(value))).toBe(true);
  });
});

describe("DOCS_ENABLED=false", () => {
  it("still serves /openapi.json", async () => {
    const service = await startTestApp({ env: { DOCS_ENABLED: "false" } });
    try {
      const response = await request(service.app).get("/openapi.json");
      expect(response.status).toBe(200);
    } finally {
      await service.close();
    }
  });
});
