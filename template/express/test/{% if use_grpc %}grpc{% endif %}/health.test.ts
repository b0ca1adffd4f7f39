// grpc.health.v1.Health in step with readiness, server reflection with the docs only,
// and shut-down: NOT_SERVING first, no new calls, in-flight ones finished.
import { dirname, join } from "node:path";
import { createRequire } from "node:module";

import {
  credentials,
  loadPackageDefinition,
  type ChannelCredentials,
  type Client,
  type ClientReadableStream,
} from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { protoPath as healthProto } from "grpc-health-check";
import { afterEach, describe, expect, it } from "vitest";

import { POST_SERVICE, serveGrpc, USER_SERVICE } from "../../src/grpc/server.js";
import { newAuthor, startGrpc, unary, type GrpcTestService } from "./client.js";

const LOAD = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };
const reflectionRoot = join(dirname(createRequire(import.meta.url).resolve("@grpc/reflection")), "../proto");

type Constructor = new (address: string, channel: ChannelCredentials) => Client;

function clientOf(file: string, root: string, name: string): Constructor {
  const loaded = loadPackageDefinition(loadSync(file, { ...LOAD, includeDirs: [root] }));
  const found = name.split(".").reduce<unknown>((scope, part) => (scope as Record<string, unknown>)[part], loaded);
  return found as Constructor;
}

const Health = clientOf("health/v1/health.proto", join(dirname(healthProto), "../.."), "grpc.health.v1.Health");
const Reflection = clientOf(
  "grpc/reflection/v1/reflection.proto",
  reflectionRoot,
  "grpc.reflection.v1.ServerReflection",
);

type Watch = (request: { service: string }) => ClientReadableStream<{ status: string }>;

/** Resolves with the statuses a Health.Watch stream sends, until `until` says stop. */
function watchUntil(
  stream: ClientReadableStream<{ status: string }>,
  until: (seen: string[]) => boolean,
): Promise<string[]> {
  const seen: string[] = [];
  return new Promise((resolve, reject) => {
    stream.on("data", ({ status }: { status: string }) => {
      seen.push(status);
      if (until(seen)) resolve(seen);
    });
    stream.on("error", reject);
  });
}

let grpc: GrpcTestService | undefined;

afterEach(async () => {
  await grpc?.close();
  grpc = undefined;
});

describe("health", () => {
  it("follows readiness: NOT_SERVING while a check fails, SERVING again once it passes", async () => {
    let up = true;
    grpc = await startGrpc({ env: { GRPC_HEALTH_CHECK_SECONDS: "0.2" } }, (service) => {
      service.deps.readiness.probe = () => (up ? Promise.resolve() : Promise.reject(new Error("down")));
    });
    const health = new Health(grpc.address, credentials.createInsecure());
    const watch = (health as unknown as { watch: Watch }).watch.bind(health);
    for (const service of ["", USER_SERVICE, POST_SERVICE]) {
      const stream = watch({ service });
      await watchUntil(stream, (seen) => seen.at(-1) === "SERVING");
      stream.cancel();
    }
    const stream = watch({ service: POST_SERVICE });
    await watchUntil(stream, (seen) => seen.at(-1) === "SERVING");
    up = false;
    expect(await watchUntil(stream, (seen) => seen.includes("NOT_SERVING"))).toEqual(["NOT_SERVING"]);
    up = true;
    const back = await watchUntil(stream, (seen) => seen.at(-1) === "SERVING");
    expect(back).toEqual(["SERVING"]);
    stream.cancel();
    health.close();
  });
});

type ReflectionCall = () => {
  write(message: object): void;
  end(): void;
  on(event: "data", listener: (message: { list_services_response?: { service: { name: string }[] } }) => void): void;
  on(event: "error", listener: (err: { code: number }) => void): void;
};

/** The service names reflection lists, or the status code it fails with. */
function listServices(address: string): Promise<string[] | number> {
  const client = new Reflection(address, credentials.createInsecure());
  const call = (client as unknown as { ServerReflectionInfo: ReflectionCall }).ServerReflectionInfo.bind(client)();
  return new Promise((resolve) => {
    call.on("data", (message) => {
      resolve((message.list_services_response?.service ?? []).map((service) => service.name).sort());
      call.end();
      client.close();
    });
    call.on("error", (err) => {
      resolve(err.code);
      client.close();
    });
    call.write({ list_services: "" });
  });
}

describe("reflection", () => {
  it("lists the services with DOCS_ENABLED", async () => {
    grpc = await startGrpc({ env: { DOCS_ENABLED: "true" } });
    expect(await listServices(grpc.address)).toEqual(
      expect.arrayContaining([
        POST_SERVICE,
        USER_SERVICE,
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
      ]),
    );
  });

  it("is not served with DOCS_ENABLED=false", async () => {
    grpc = await startGrpc({ env: { DOCS_ENABLED: "false" } });
    const UNIMPLEMENTED = 12;
    expect(await listServices(grpc.address)).toBe(UNIMPLEMENTED);
  });
});

describe("start-up", () => {
  it("fails with an error naming GRPC_PORT when the port is in use", async () => {
    grpc = await startGrpc();
    await expect(serveGrpc(grpc.service.deps, grpc.running.port)).rejects.toThrow(/^GRPC_PORT \d+: cannot listen/);
  });
});

describe("shut-down", () => {
  it("turns NOT_SERVING, refuses new calls and lets the call in flight finish", async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    grpc = await startGrpc({ env: { GRPC_HEALTH_CHECK_SECONDS: "0.2" } });
    const { deps } = grpc.service;
    const author = await newAuthor(grpc);
    const listAfter = deps.repositories.posts.listAfter.bind(deps.repositories.posts);
    let started: () => void = () => undefined;
    const inFlight = new Promise<void>((resolve) => {
      started = resolve;
    });
    deps.repositories.posts.listAfter = async (...args) => {
      started();
      await held;
      return listAfter(...args);
    };
    const health = new Health(grpc.address, credentials.createInsecure());
    const stream = (health as unknown as { watch: Watch }).watch.bind(health)({ service: "" });
    await watchUntil(stream, (seen) => seen.at(-1) === "SERVING");
    const notServing = watchUntil(stream, (seen) => seen.at(-1) === "NOT_SERVING");

    const slow = unary(grpc.posts, "ListPosts", {}, { token: author.token });
    await inFlight;
    const stopped = grpc.running.stop();
    await notServing;
    // A Watch stream is a call in flight too: the client ends it once told.
    stream.cancel();
    const refused = await unary(grpc.posts, "ListPosts", {}, { token: author.token });
    expect(refused.code).toBe("UNAVAILABLE");
    release();
    expect((await slow).code).toBe("OK");
    await stopped;
    health.close();
  });

  it("does not wait for a health Watch left open: it sees NOT_SERVING, then the server stops", async () => {
    grpc = await startGrpc({ env: { GRPC_HEALTH_CHECK_SECONDS: "0.2", SHUTDOWN_TIMEOUT_SECONDS: "30" } });
    const health = new Health(grpc.address, credentials.createInsecure());
    const stream = (health as unknown as { watch: Watch }).watch.bind(health)({ service: "" });
    await watchUntil(stream, (seen) => seen.at(-1) === "SERVING");
    const statuses: string[] = [];
    stream.on("data", ({ status }: { status: string }) => statuses.push(status));
    const ended = new Promise<string>((resolve) => {
      stream.on("error", (err: { code: number }) => {
        resolve(String(err.code));
      });
    });

    // Well within the 30 s grace: nothing but the open Watch is left to wait for.
    await grpc.running.stop();

    expect(statuses).toEqual(["NOT_SERVING"]);
    expect(await ended).not.toBe("");
    health.close();
  }, 10_000);
});
