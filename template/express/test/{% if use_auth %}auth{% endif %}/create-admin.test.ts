// `npm run create-admin -- EMAIL`, through the function it runs.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { AdminError, createAdmin } from "../../src/auth/admin.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { makeAccount, PASSWORD, signIn, uniqueEmail } from "./accounts.js";

let testApp: TestApp;

beforeAll(async () => {
  testApp = await startTestApp();
});

afterAll(async () => {
  await testApp.close();
});

describe("create-admin", () => {
  it("creates an administrator who can sign in", async () => {
    const email = uniqueEmail();
    expect(await createAdmin(testApp.deps.db, `  ${email.toUpperCase()} `, PASSWORD, testApp.deps.userCache)).toBe(
      "created",
    );
    const response = await signIn(testApp.app, email);
    expect(response.status).toBe(200);
    const token = (response.body as { access_token: string }).access_token;
    const me = await request(testApp.app).get("/api/v1/users/me").auth(token, { type: "bearer" });
    expect(me.body).toMatchObject({ email, role: "admin" });
  });

  it("promotes an existing account, keeping its password", async () => {
    const account = await makeAccount(testApp);
    expect(await createAdmin(testApp.deps.db, account.email, "another password", testApp.deps.userCache)).toBe(
      "promoted",
    );
    const me = await request(testApp.app).get("/api/v1/users/me").auth(account.accessToken, { type: "bearer" });
    expect(me.body).toMatchObject({ role: "admin" });
    expect((await signIn(testApp.app, account.email)).status).toBe(200);
  });

  it("refuses a short password or a bad email, naming which", async () => {
    await expect(createAdmin(testApp.deps.db, uniqueEmail(), "short")).rejects.toThrow(/^ADMIN_PASSWORD: /);
    await expect(createAdmin(testApp.deps.db, "not-an-email", PASSWORD)).rejects.toThrow(AdminError);
  });
});
