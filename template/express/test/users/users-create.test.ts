// Sign-up: POST /api/v1/users, its answer, its limits and its duplicates.
import request from "supertest";
import { describe, expect, it } from "vitest";

import {
  errorLocations,
  expectProblem,
  nextEmail,
  othersThan,
  signUpBody,
  TIMESTAMP,
  useCrud,
  UUID_V4,
  type PageBody,
  type UserBody,
} from "../helpers/crud.js";

const crud = useCrud();
const signUp = (fields: Record<string, unknown>) =>
  request(crud.service.app).post("/api/v1/users").send(signUpBody(fields));

describe("users", () => {
  it("signs up with 201, a Location and the user", async () => {
    const response = await signUp({ email: "ada@example.com", name: "Ada" });
    expect(response.status).toBe(201);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    const user = response.body as UserBody;
    expect(Object.keys(user)).toEqual(["id", "email", "name", "role", "created_at"]);
    expect(user).toMatchObject({ email: "ada@example.com", name: "Ada", role: "user" });
    expect(user.id).toMatch(UUID_V4);
    expect(user.created_at).toMatch(TIMESTAMP);
    expect(response.headers.location).toBe(`/api/v1/users/${user.id}`);

    const { headers } = await crud.staff();
    const fetched = await request(crud.service.app).get(`/api/v1/users/${user.id}`).set(headers);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(user);
  });

  it("trims and lower-cases the email", async () => {
    const response = await signUp({ email: "  Ada.Lovelace@Example.COM ", name: "Ada" });
    expect(response.status).toBe(201);
    expect((response.body as UserBody).email).toBe("ada.lovelace@example.com");
  });

  it("answers a duplicate email in any case with a 409 problem", async () => {
    expect((await signUp({ email: "grace@example.com", name: "Grace" })).status).toBe(201);
    const response = await signUp({ email: "GRACE@example.com", name: "G" });
    expectProblem(response, 409, "A user with this email already exists.");
  });

  it("gives exactly one 201 to ten concurrent sign-ups with one email", async () => {
    const once = () => signUp({ email: "racer@example.com", name: "Racer" });
    const responses = await Promise.all(Array.from({ length: 10 }, once));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(9).fill(409)]);

    const staff = await crud.staff();
    const listed = await request(crud.service.app).get("/api/v1/users").set(staff.headers);
    const users = othersThan(staff, (listed.body as PageBody<UserBody>).items);
    expect(users.map((user) => user.email)).toEqual(["racer@example.com"]);
  });

  it.each([
    [{ email: "x@example.com" }, ["body", "name"]],
    [{ email: "x@example.com", name: "" }, ["body", "name"]],
    [{ email: "x@example.com", name: "x".repeat(101) }, ["body", "name"]],
    [{ email: "not-an-email", name: "Ada" }, ["body", "email"]],
    [{ email: `${"a".repeat(65)}@example.com`, name: "Ada" }, ["body", "email"]],
    [{ email: `a@${"b".repeat(250)}.com`, name: "Ada" }, ["body", "email"]],
    [{ email: "x@example.com", name: "Ada", role: "admin" }, ["body", "role"]],
  ])("refuses %j with a 422 on %j", async (payload, location) => {
    expect(errorLocations(await signUp(payload))).toEqual([location]);
  });

  it("counts a name's length in characters, not UTF-16 units", async () => {
    const response = await signUp({ email: nextEmail(), name: "😀".repeat(100) });
    expect(response.status).toBe(201);
  });
});
