// Request and response bodies of /auth and /users/me.
import { z } from "zod";

import { text } from "../core/validation.js";

export const password = text(8, 128);

export const Credentials = z.strictObject({ email: text(0, 254), password: text(0, 1024) });

export const RefreshRequest = z.strictObject({ refresh_token: text(1, 512) }).meta({ id: "RefreshRequest" });

/** What a user may change about themselves: not their email, never their role. */
export const AccountUpdate = z
  .strictObject({ name: text(1, 100).optional(), password: password.optional() })
  .meta({ id: "AccountUpdate" });
export type AccountUpdate = z.output<typeof AccountUpdate>;

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: "Bearer";
  expires_in: number;
}
