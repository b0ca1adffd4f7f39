// Timestamps as the API shows them: UTC, millisecond precision, `Z` suffix
// ("2026-11-26T06:41:17.123Z"). Milliseconds are what a Date holds and what
// the databases store (PostgreSQL's timestamptz(3), MongoDB's dates), so a
// timestamp read back from the database or from a cursor equals the one that was
// written, in either stack. Services carry them as this text, not as Dates: a page
// of posts would otherwise parse two Dates per row from the database only to
// format them again for the answer.

const FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A point in time in the API's format; for the same width, text order is time order. */
export type Timestamp = string;

export function formatTimestamp(value: Date): Timestamp {
  return value.toISOString();
}

/** The current time. */
export function now(): Timestamp {
  return formatTimestamp(new Date());
}

/** `text` when it is a timestamp in the API's format; undefined for anything else (including 2026-02-30). */
export function parseTimestamp(text: string): Timestamp | undefined {
  if (!FORMAT.test(text)) return undefined;
  const value = new Date(text);
  return !Number.isNaN(value.getTime()) && formatTimestamp(value) === text ? text : undefined;
}
