import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { decodeCursor, encodeCursor, pageQuery, splitPage } from "../src/core/pagination.js";

describe("cursors", () => {
  it("encode the sort key as unpadded base64url JSON", () => {
    const id = randomUUID();
    const cursor = encodeCursor("2026-11-26T06:41:17.123Z", id);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(cursor, "base64url").toString()).toBe(`["2026-11-26T06:41:17.123Z","${id}"]`);
  });

  it("decode to the key they were made from", () => {
    const id = randomUUID();
    const createdAt = "2026-01-31T12:00:00.000Z";
    expect(decodeCursor(encodeCursor(createdAt, id))).toEqual({ createdAt, id });
  });

  it("normalise the id to lower case", () => {
    const id = randomUUID();
    const cursor = Buffer.from(JSON.stringify(["2026-01-31T12:00:00.000Z", id.toUpperCase()])).toString("base64url");
    expect(decodeCursor(cursor)?.id).toBe(id);
  });

  it.each([
    ["padding", `${encodeCursor("1970-01-01T00:00:00.000Z", randomUUID())}=`],
    ["three items", Buffer.from(`["2026-01-31T12:00:00.000Z","${randomUUID()}",1]`).toString("base64url")],
    ["an offset", Buffer.from(`["2026-01-31T12:00:00.000+01:00","${randomUUID()}"]`).toString("base64url")],
    ["invalid JSON", Buffer.from("[").toString("base64url")],
  ])("refuse %s", (_what, cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });
});

describe("page parameters", () => {
  it("default to 20 items from the start", () => {
    expect(pageQuery.parse({})).toEqual({ limit: 20 });
  });

  it("ignore parameters they do not know", () => {
    expect(pageQuery.parse({ limit: "5", sort: "name" })).toEqual({ limit: 5 });
  });
});

describe("splitPage", () => {
  const rows = Array.from({ length: 3 }, (_, i) => ({ id: randomUUID(), createdAt: new Date(3000 - i).toISOString() }));

  it("uses the extra row only to say a next page exists", () => {
    const { items, nextCursor } = splitPage(rows, 2);
    expect(items).toEqual(rows.slice(0, 2));
    expect(nextCursor).toBe(encodeCursor(rows[1]?.createdAt ?? "", rows[1]?.id ?? ""));
  });

  it("has no next page when every row fits", () => {
    expect(splitPage(rows, 3).nextCursor).toBeNull();
  });
});
