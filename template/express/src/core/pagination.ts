// Keyset pagination shared by every list endpoint: page parameters, cursors, the
// page body. Lists are ordered newest first by (created_at, id), both descending.
// A cursor is the sort key of the last item of a page, as URL-safe base64 (no
// padding) of the JSON ["<created_at>", "<id>"]; the next page holds the items
// strictly after that key, so rows inserted meanwhile never shift a page.
import { z } from "zod";

import { parseTimestamp, type Timestamp } from "./timestamps.js";
import { uuidString } from "./validation.js";

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** The sort key of the last item a client has seen. */
export interface Cursor {
  createdAt: Timestamp;
  id: string;
}

/** Anything listed by keyset: it has the two parts of the sort key. */
export interface Keyed {
  id: string;
  createdAt: Timestamp;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export function encodeCursor(createdAt: Timestamp, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString("base64url");
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The cursor encodeCursor made, or undefined for anything else. */
export function decodeCursor(text: string): Cursor | undefined {
  if (!BASE64URL.test(text)) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (!Array.isArray(key) || key.length !== 2) return undefined;
  const [createdAt, id] = key as unknown[];
  if (typeof createdAt !== "string" || typeof id !== "string") return undefined;
  const date = parseTimestamp(createdAt);
  const parsedId = uuidString.safeParse(id);
  return date && parsedId.success ? { createdAt: date, id: parsedId.data } : undefined;
}

const WHOLE_NUMBER = /^\s*[+-]?\d+\s*$/;

// Query values are text: only a whole number is converted, anything else stays
// text and is refused. Preprocessing (not a transform) makes OpenAPI describe the
// parameter as the integer it is.
const limit = z
  .preprocess(
    (value) => (typeof value === "string" && WHOLE_NUMBER.test(value) ? Number(value) : value),
    z.int({ error: "must be a whole number" }).min(1).max(MAX_LIMIT),
  )
  .default(DEFAULT_LIMIT);

const cursor = z
  .string()
  .transform((text, ctx) => {
    const decoded = decodeCursor(text);
    if (decoded) return decoded;
    ctx.addIssue({ code: "custom", message: "Invalid cursor" });
    return z.NEVER;
  })
  .optional()
  .meta({ description: "next_cursor of the previous page; omit for the first" });

/**
 * `limit` and `cursor` of a list endpoint. Other query parameters are ignored,
 * not refused: a client's tracking or cache-busting parameter does no harm.
 */
export const pageQuery = z.object({ limit, cursor });

export type PageRequest = z.output<typeof pageQuery>;

/** The schema of a page of `item`, named `id` in the OpenAPI document. */
export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() }).meta({ id });
}

/** Repositories fetch `limit + 1` rows: the extra one only says a next page exists. */
export function splitPage<T extends Keyed>(rows: T[], pageLimit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, pageLimit);
  const last = items.at(-1);
  if (rows.length <= pageLimit || !last) return { items, nextCursor: null };
  return { items, nextCursor: encodeCursor(last.createdAt, last.id) };
}
