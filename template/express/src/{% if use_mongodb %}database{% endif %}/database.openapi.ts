// What the database task adds to the API's OpenAPI description.
import { problemResponse, RETRY_AFTER, under, type Amendment } from "../core/openapi.js";

/** errors.ts: no pooled connection came free in time, or MongoDB is away. */
export function poolLimited(prefix: string | readonly string[]): Amendment {
  const away =
    "The database is busy: every pooled connection stayed in use (database_busy); " +
    "or unavailable: MongoDB refused, ended or could not open a connection (database_unavailable)";
  return { appliesTo: under(prefix), responses: { 503: problemResponse(away, { headers: RETRY_AFTER }) } };
}
