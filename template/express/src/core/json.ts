// Answers whose JSON text exists already (a post as the cache stored it): sent as
// they are, not parsed only for res.json to serialise them again.
import type { Response } from "express";

const JSON_TYPE = "application/json; charset=utf-8";

/** Send `json`, a value's JSON text, with the headers res.json would send for the value. */
export function sendJson(res: Response, json: string): void {
  res.setHeader("Content-Type", JSON_TYPE);
  res.send(json);
}
