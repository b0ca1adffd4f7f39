// Timestamps as the API shows them: UTC, millisecond precision, `Z` suffix
// ("2026-11-26T06:41:17.123Z"). Milliseconds are what a Date holds and what
// PostgreSQL stores (timestamptz(3)), so a timestamp read back from the database
// or from a cursor equals the one that was written, in either stack.

const FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function formatTimestamp(value: Date): string {
  return value.toISOString();
}

/** The inverse of formatTimestamp; undefined for anything else (including 2026-02-30). */
export function parseTimestamp(text: string): Date | undefined {
  if (!FORMAT.test(text)) return undefined;
  const value = new Date(text);
  return !Number.isNaN(value.getTime()) && value.toISOString() === text ? value : undefined;
}
