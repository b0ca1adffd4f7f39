// The limits checked before an operation runs: each passes exactly at its
// setting and is refused one past it, with its own code and message.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestApp, type TestApp } from "../helpers/app.js";
import { bodyOf, codesOf, gql, signedIn, type Caller } from "./graphql.js";

let service: TestApp;
let caller: Caller;

beforeAll(async () => {
  service = await startTestApp({
    env: { GRAPHQL_MAX_DEPTH: "4", GRAPHQL_MAX_ALIASES: "2", GRAPHQL_MAX_COST: "201" },
  });
  caller = await signedIn(service);
});

afterAll(async () => {
  await service.close();
});

const run = (query: string, variables?: Record<string, unknown>) =>
  gql(service.app, query, { headers: caller.headers, ...(variables ? { variables } : {}) });

describe("depth (GRAPHQL_MAX_DEPTH=4)", () => {
  it("runs an operation 4 deep, __typename and fragments counted in place", async () => {
    const query = "{ posts(first: 1) { items { ...P } } } fragment P on Post { author { name __typename } }";
    expect(bodyOf(await run(query)).errors).toBeUndefined();
  });

  it("refuses one 5 deep with QUERY_TOO_DEEP", async () => {
    const query = "{ users(first: 1) { items { posts(first: 1) { items { id } } } } }";
    const response = await run(query);
    expect(bodyOf(response, 400).errors).toEqual([
      { message: "Query depth 5 exceeds the limit of 4.", extensions: { code: "QUERY_TOO_DEEP" } },
    ]);
  });

  it("counts nothing under introspection fields", async () => {
    const response = await run("{ __schema { types { fields { type { ofType { ofType { name } } } } } } }");
    expect(codesOf(response)).toEqual([]);
  });
});

describe("aliases (GRAPHQL_MAX_ALIASES=2)", () => {
  it("runs 2 aliases and refuses 3, __typename's included and a fragment's counted each time it is spread", async () => {
    expect(codesOf(await run("{ a: __typename b: posts(first: 1) { nextCursor } }"))).toEqual([]);
    expect(codesOf(await run("{ a: __typename b: __typename c: __typename }"))).toEqual(["TOO_MANY_ALIASES"]);
    const response = await run("{ ...F ...F } fragment F on Query { p: posts(first: 1) { n: nextCursor } }");
    expect(bodyOf(response, 400).errors).toEqual([
      { message: "The operation uses 4 aliases; the limit is 2.", extensions: { code: "TOO_MANY_ALIASES" } },
    ]);
  });
});

describe("cost (GRAPHQL_MAX_COST=201)", () => {
  it("weighs each field by the first of the lists around it: 1 + 50 × 4 = 201 runs", async () => {
    const response = await run("{ posts(first: 50) { items { id author { name } } } }");
    expect(bodyOf(response).errors).toBeUndefined();
  });

  it("refuses one over, and counts a variable first as 100 and a missing one as its default 20", async () => {
    const over = await run('{ posts(first: 50) { items { id author { name } } } post(id: "x") { id } }');
    expect(bodyOf(over, 400).errors).toEqual([
      { message: "Query cost 203 exceeds the limit of 201.", extensions: { code: "QUERY_TOO_COMPLEX" } },
    ]);
    const variable = await run("query ($n: Int) { posts(first: $n) { items { id author { name } } } }", { n: 1 });
    expect(bodyOf(variable, 400).errors?.[0]?.message).toBe("Query cost 401 exceeds the limit of 201.");
    const fields = "items { id title body createdAt updatedAt author { id name } } nextCursor";
    expect(bodyOf(await run(`{ posts { ${fields} } }`)).errors).toBeUndefined();
    const omitted = await run(`{ posts { ${fields} } p: posts(first: 1) { nextCursor } }`);
    expect(bodyOf(omitted, 400).errors?.[0]?.message).toBe("Query cost 203 exceeds the limit of 201.");
  });

  it("lists every limit passed, depth first, then aliases, then cost", async () => {
    const query = "{ a: users(first: 100) { b: items { c: posts(first: 100) { items { author { name } } } } } }";
    expect(codesOf(await run(query))).toEqual(["QUERY_TOO_DEEP", "TOO_MANY_ALIASES", "QUERY_TOO_COMPLEX"]);
  });
});

describe("introspection and hints", () => {
  it("refuses __schema and __type with the docs off, keeps __typename, and gives no suggestions", async () => {
    const quiet = await startTestApp({ env: { DOCS_ENABLED: "false" } });
    try {
      const refused = await gql(quiet.app, "{ __schema { queryType { name } } }", { headers: caller.headers });
      expect(bodyOf(refused, 400).errors).toEqual([
        expect.objectContaining({
          message: "Introspection is disabled.",
          extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
        }),
      ]);
      const typename = await gql(quiet.app, "{ __typename }", { headers: caller.headers });
      expect(bodyOf(typename).data).toEqual({ __typename: "Query" });
      const typo = await gql(quiet.app, "{ post { titl } }", { headers: caller.headers });
      expect(JSON.stringify(bodyOf(typo, 400).errors)).not.toContain("Did you mean");
    } finally {
      await quiet.close();
    }
  });

  it("keeps the engine's suggestions with the docs on", async () => {
    const typo = await run("{ postz(first: 1) { nextCursor } }");
    expect(JSON.stringify(bodyOf(typo, 400).errors)).toContain("Did you mean");
  });
});
