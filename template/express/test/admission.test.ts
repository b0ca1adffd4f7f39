// MAX_CONCURRENT_REQUESTS: the gate in front of /api/v1. The tests read the
// gate's counts and the order in which a held route is entered, never timings.
import { AsyncLocalStorage } from "node:async_hooks";
import { EventEmitter, once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

import { Router, type Express } from "express";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";

import { API_PREFIX } from "../src/api.js";
import { ConfigError, loadConfig } from "../src/settings.js";
import { AdmissionGate } from "../src/core/admission.js";
import { startTestApp, validEnv, type TestApp } from "./helpers/app.js";

const PROBLEM_JSON = /^application\/problem\+json/;

/** A route of these tests alone: it notes each request that gets in and holds it until let go. */
class HeldRoute {
  readonly entered: string[] = [];
  readonly #held: (() => void)[] = [];
  #open = false;

  router(): Router {
    const router = Router();
    router.get(`${API_PREFIX}/held/:name`, async (req, res) => {
      this.entered.push(req.params.name);
      if (!this.#open) await new Promise<void>((resolve) => this.#held.push(resolve));
      res.json({ name: req.params.name });
    });
    return router;
  }

  /** Let the request that entered first of those still held answer. */
  releaseOldest(): void {
    this.#held.shift()?.();
  }

  /** Let every held request answer, and those that enter later pass straight through. */
  open(): void {
    this.#open = true;
    for (const release of this.#held.splice(0)) release();
  }
}

/** Resolves once `condition` holds; the test's own timeout ends a wait that never does. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(5);
}

interface Answer {
  status: number;
  body: string;
}

/** A GET on a connection of its own, so that destroying it is what a client going away looks like. */
function get(port: number, path: string): { request: http.ClientRequest; answer: Promise<Answer> } {
  const req = http.get({ host: "127.0.0.1", port, path, agent: false });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.once("error", reject);
    req.once("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.once("end", () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
  });
  return { request: req, answer };
}

/** Takes a slot without a request: closing it frees the slot, as a response's 'close' does. */
class SlotHolder extends EventEmitter {
  writableEnded = false;
  destroyed = false;

  close(): void {
    this.writableEnded = true;
    this.emit("close");
  }
}

describe("admission control", () => {
  let service: TestApp | undefined;
  let server: http.Server | undefined;
  let route: HeldRoute;
  afterEach(async () => {
    route.open();
    server?.close();
    server?.closeAllConnections();
    server = undefined;
    await service?.close();
  });

  async function start(env: Record<string, string> = {}): Promise<{ gate: AdmissionGate; port: number; app: Express }> {
    route = new HeldRoute();
    service = await startTestApp({ env: { MAX_CONCURRENT_REQUESTS: "2", ...env }, extraRoutes: route.router() });
    server = http.createServer(service.app).listen(0, "127.0.0.1");
    await once(server, "listening");
    return { gate: service.admission, port: (server.address() as AddressInfo).port, app: service.app };
  }

  /**
   * GETs the held route once per name, each in or queued before the next is
   * sent: connections opened together may reach the server in any order.
   */
  async function sendInOrder(gate: AdmissionGate, port: number, names: string[]): Promise<Promise<Answer>[]> {
    const answers: Promise<Answer>[] = [];
    for (const name of names) {
      answers.push(get(port, `${API_PREFIX}/held/${name}`).answer);
      await until(() => route.entered.length + gate.waiting === answers.length);
    }
    return answers;
  }

  it("admits waiting requests in arrival order", async () => {
    const { gate, port } = await start();
    const answers = await sendInOrder(gate, port, ["1", "2", "3", "4", "5"]);
    expect(route.entered).toEqual(["1", "2"]);
    expect({ active: gate.active, waiting: gate.waiting }).toEqual({ active: 2, waiting: 3 });

    for (const admitted of [3, 4, 5]) {
      route.releaseOldest();
      await until(() => route.entered.length === admitted);
      expect(gate.active).toBe(2);
      expect(gate.waiting).toBe(5 - admitted);
    }
    expect(route.entered).toEqual(["1", "2", "3", "4", "5"]);
    route.open();
    const statuses = (await Promise.all(answers)).map((answer) => answer.status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    await until(() => gate.active === 0);
    expect(gate.waiting).toBe(0);
  });

  it("answers the health checks while every API slot is taken", async () => {
    const { gate, port, app } = await start();
    const answers = await sendInOrder(gate, port, ["1", "2", "3"]);
    expect({ active: gate.active, waiting: gate.waiting }).toEqual({ active: 2, waiting: 1 });
    const live = await request(app).get("/health/live");
    expect(live.status).toBe(200);
    expect(route.entered).toEqual(["1", "2"]);
    route.open();
    expect((await Promise.all(answers)).map((answer) => answer.status)).toEqual([200, 200, 200]);
  });

  it("frees the place of a waiting client that went away", async () => {
    const { gate, port } = await start();
    const held = await sendInOrder(gate, port, ["1", "2"]);
    const gone = get(port, `${API_PREFIX}/held/gone`);
    gone.answer.catch(() => undefined);
    await until(() => gate.waiting === 1);
    gone.request.destroy();
    await until(() => gate.waiting === 0);

    route.open();
    await Promise.all(held);
    await until(() => gate.active === 0);
    const next = await get(port, `${API_PREFIX}/held/next`).answer;
    expect(next.status).toBe(200);
    expect(route.entered).toEqual(["1", "2", "next"]);
    await until(() => gate.active === 0);
    expect(gate.waiting).toBe(0);
  });

  it("answers a request that waits past REQUEST_TIMEOUT_SECONDS with the timeout problem", async () => {
    const { gate, app } = await start({ REQUEST_TIMEOUT_SECONDS: "0.2" });
    // The slots are held by stand-ins: a held request would itself time out
    // first, and its 503 would free its slot for the waiter.
    const holders = [new SlotHolder(), new SlotHolder()];
    for (const holder of holders) gate.enter(holder, () => undefined);
    expect(gate.active).toBe(2);

    const response = await request(app).get(`${API_PREFIX}/held/late`);
    expect(response.status).toBe(503);
    expect(response.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(response.body).toEqual({
      type: "about:blank",
      title: "Service Unavailable",
      status: 503,
      detail: "The request did not complete within 0.2 seconds.",
    });
    await until(() => gate.waiting === 0);
    expect(gate.active).toBe(2);

    for (const holder of holders) holder.close();
    expect({ active: gate.active, waiting: gate.waiting }).toEqual({ active: 0, waiting: 0 });
    expect(route.entered).toEqual([]);
  });
});

describe("admission gate", () => {
  it("skips a waiter answered before its turn and releases each slot once", () => {
    const gate = new AdmissionGate(1);
    const ran: string[] = [];
    const first = new SlotHolder();
    const answered = new SlotHolder();
    const last = new SlotHolder();
    gate.enter(first, () => ran.push("first"));
    gate.enter(answered, () => ran.push("answered"));
    gate.enter(last, () => ran.push("last"));
    expect({ active: gate.active, waiting: gate.waiting }).toEqual({ active: 1, waiting: 2 });

    // Ended, its 'close' not emitted yet: it must not take the slot.
    answered.writableEnded = true;
    first.close();
    expect(ran).toEqual(["first", "last"]);
    expect({ active: gate.active, waiting: gate.waiting }).toEqual({ active: 1, waiting: 0 });

    answered.emit("close");
    first.emit("close");
    expect(gate.active).toBe(1);
    last.close();
    last.emit("close");
    expect({ active: gate.active, waiting: gate.waiting }).toEqual({ active: 0, waiting: 0 });
  });

  it("runs an admitted waiter in its own async context", () => {
    const gate = new AdmissionGate(1);
    const context = new AsyncLocalStorage<string>();
    const holder = new SlotHolder();
    const seen: (string | undefined)[] = [];
    context.run("holder", () => {
      gate.enter(holder, () => undefined);
    });
    context.run("waiter", () => {
      gate.enter(new SlotHolder(), () => seen.push(context.getStore()));
    });
    context.run("holder", () => {
      holder.close();
    });
    expect(seen).toEqual(["waiter"]);
  });
});

describe("MAX_CONCURRENT_REQUESTS", () => {
  it("defaults to 32", () => {
    expect(loadConfig(validEnv()).maxConcurrentRequests).toBe(32);
  });

  it("reads a whole number from 1 to 10000", () => {
    expect(loadConfig({ ...validEnv(), MAX_CONCURRENT_REQUESTS: "1" }).maxConcurrentRequests).toBe(1);
    expect(loadConfig({ ...validEnv(), MAX_CONCURRENT_REQUESTS: "10000" }).maxConcurrentRequests).toBe(10_000);
  });

  it("refuses 0, more than 10000 and non-integers with a message naming the variable", () => {
    for (const value of ["0", "10001", "2.5", "many"]) {
      const attempt = () => loadConfig({ ...validEnv(), MAX_CONCURRENT_REQUESTS: value });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow("MAX_CONCURRENT_REQUESTS: must be a whole number from 1 to 10000");
    }
  });
});
