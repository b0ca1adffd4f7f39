// The access line names the authenticated caller (user_id), and only that caller.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { startTestApp, type TestApp } from "../helpers/app.js";
import { makeAccount, type Account } from "./accounts.js";

let testApp: TestApp;
let ada: Account;
let bob: Account;

beforeAll(async () => {
  testApp = await startTestApp();
  [ada, bob] = await Promise.all([makeAccount(testApp), makeAccount(testApp)]);
});

afterAll(async () => {
  await testApp.close();
});

/** The access line of the request sent with this X-Request-ID, once it is written. */
async function lineOf(requestId: string): Promise<Record<string, unknown>> {
  const find = () =>
    testApp.logs.records().filter((record) => record.msg === "request" && record.request_id === requestId);
  await vi.waitFor(() => {
    expect(find()).toHaveLength(1);
  });
  return find()[0] ?? {};
}

function me(requestId: string, account?: Account): request.Test {
  const call = request(testApp.app).get("/api/v1/users/me").set("X-Request-ID", requestId);
  return account ? call.auth(account.accessToken, { type: "bearer" }) : call;
}

describe("user_id in the access log", () => {
  it("names the authenticated caller", async () => {
    expect((await me("as-ada", ada)).status).toBe(200);
    expect((await lineOf("as-ada")).user_id).toBe(ada.id);
    expect(testApp.logs.text()).not.toContain(ada.accessToken);
  });

  it("is absent without an authenticated caller", async () => {
    await me("nobody");
    await me("bad-token").auth("not.a.jwt", { type: "bearer" });
    await request(testApp.app).get("/health/live").set("X-Request-ID", "public");
    for (const requestId of ["nobody", "bad-token", "public"]) {
      expect(await lineOf(requestId)).not.toHaveProperty("user_id");
    }
  });

  it("belongs to its own request when requests overlap", async () => {
    const callers = { ada, bob, anonymous: undefined };
    const sent = Array.from({ length: 10 }, (_, index) =>
      Object.entries(callers).map(([name, account]) => ({ requestId: `${name}-${index}`, account })),
    ).flat();
    await Promise.all(sent.map(({ requestId, account }) => me(requestId, account)));
    for (const { requestId, account } of sent) {
      expect((await lineOf(requestId)).user_id).toBe(account?.id);
    }
  });
});
