// The limits every call is held to: the rate limit (RESOURCE_EXHAUSTED with a retry-after
// trailer), the deadline (the client's, and REQUEST_TIMEOUT_SECONDS at most), the 1 MiB
// message limit, and INTERNAL for what nobody expected, without its internals.
import { randomUUID } from "node:crypto";

import { afterEach, describe, expect, it } from "vitest";

import { memoryRateLimiter } from "../../src/core/limits.js";
import { newAuthor, startGrpc, unary, type GrpcTestService } from "./client.js";

let grpc: GrpcTestService | undefined;

afterEach(async () => {
  await grpc?.close();
  grpc = undefined;
});

/** A page of posts never comes: the call waits until its deadline. */
const NEVER = (): Promise<never> => new Promise<never>(() => undefined);

describe("limits", () => {
  it("answers RESOURCE_EXHAUSTED with a retry-after trailer past the rate limit", async () => {
    // A window of its own: other files' calls come from the same address.
    grpc = await startGrpc({}, (service) => {
      service.deps.rateLimiter = memoryRateLimiter(2);
    });
    const id = randomUUID();
    for (let i = 0; i < 2; i += 1) {
      expect((await unary(grpc.posts, "GetPost", { id })).code).not.toBe("RESOURCE_EXHAUSTED");
    }
    const over = await unary(grpc.posts, "GetPost", { id });
    expect(over.code).toBe("RESOURCE_EXHAUSTED");
    expect(over.details).toBe("More than 2 requests a minute; retry after the retry-after delay.");
    expect(Number(over.trailers.get("retry-after")[0])).toBeGreaterThan(0);
  });

  it("ends a call at REQUEST_TIMEOUT_SECONDS with DEADLINE_EXCEEDED, whatever the client's deadline", async () => {
    grpc = await startGrpc({ env: { REQUEST_TIMEOUT_SECONDS: "0.05" } }, (service) => {
      service.deps.repositories.posts.listAfter = NEVER;
    });
    const author = await newAuthor(grpc);
    const answer = await unary(grpc.posts, "ListPosts", {}, { token: author.token });
    expect(answer.code).toBe("DEADLINE_EXCEEDED");
  });

  it("honours the client's deadline", async () => {
    grpc = await startGrpc({}, (service) => {
      service.deps.repositories.posts.listAfter = NEVER;
    });
    const author = await newAuthor(grpc);
    const requestId = `grpc-${randomUUID()}`;
    const answer = await unary(grpc.posts, "ListPosts", {}, { token: author.token, deadlineMs: 50, requestId });
    expect(answer.code).toBe("DEADLINE_EXCEEDED");
  });

  it("answers INTERNAL without the cause, which is logged with the request id", async () => {
    grpc = await startGrpc({}, (service) => {
      service.deps.repositories.posts.listAfter = () => Promise.reject(new Error("secret internals"));
    });
    const author = await newAuthor(grpc);
    const requestId = `grpc-${randomUUID()}`;
    const answer = await unary(grpc.posts, "ListPosts", {}, { token: author.token, requestId });
    expect(answer).toMatchObject({ code: "INTERNAL", details: "Internal server error" });
    const logged = grpc.service.logs.records().find((line) => line.level === "error" && line.request_id === requestId);
    expect(JSON.stringify(logged)).toContain("secret internals");
  });

  it("refuses a message over 1 MiB with RESOURCE_EXHAUSTED", async () => {
    grpc = await startGrpc();
    const answer = await unary(grpc.users, "CreateUser", { email: "a@example.com", name: "x".repeat(1_100_000) });
    expect(answer.code).toBe("RESOURCE_EXHAUSTED");
  });
});
