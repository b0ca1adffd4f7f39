// on-headers ships no types; this is the one function it exports.
declare module "on-headers" {
  import type { ServerResponse } from "node:http";

  /** Call `listener` once, just before `res` writes its headers. */
  export default function onHeaders(res: ServerResponse, listener: (this: ServerResponse) => void): void;
}
