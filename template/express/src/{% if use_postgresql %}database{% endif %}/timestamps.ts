// timestamptz values read straight into the API's timestamp text. Sessions run
// in UTC (engine.ts), so PostgreSQL sends "2026-11-26 06:41:17.12+00" and a few
// string operations make it "2026-11-26T06:41:17.120Z", with no Date parsed only
// to be formatted again. Any other form (a session in another time zone) goes
// through pg's own parser: slower, never wrong.
import pg from "pg";

import { formatTimestamp, type Timestamp } from "../core/timestamps.js";

const TIMESTAMPTZ = pg.types.builtins.TIMESTAMPTZ;
const UTC_TEXT = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,3}))?\+00$/;

/** Connection options: the session's time zone is UTC, the form the fast path reads. */
export const UTC_SESSION = "-c TimeZone=UTC";

const parseAsDate = pg.types.getTypeParser(TIMESTAMPTZ, "text") as (text: string) => Date;

export function timestampFromPostgres(text: string): Timestamp {
  const utc = UTC_TEXT.exec(text);
  if (utc) return `${utc[1] ?? ""}T${utc[2] ?? ""}.${(utc[3] ?? "").padEnd(3, "0")}Z`;
  return formatTimestamp(parseAsDate(text));
}

/** pg's parsers, but timestamptz as Timestamp text. */
export const timestampTypes = new pg.TypeOverrides();
timestampTypes.setTypeParser(TIMESTAMPTZ, "text", timestampFromPostgres);
