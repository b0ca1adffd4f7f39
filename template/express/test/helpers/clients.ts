import { randomBytes } from "node:crypto";

/**
 * An address of one test alone, so the rate-limit counts of other tests never
 * reach it. Send it as X-Forwarded-For, which the app believes from a proxy on
 * this host (the tests' own connections come from loopback).
 */
export function uniqueClientIp(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${String(a)}.${String(b)}.${String(c)}`;
}
