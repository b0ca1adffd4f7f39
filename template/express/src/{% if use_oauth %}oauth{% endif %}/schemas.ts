// Request and response bodies of /auth/oauth and what /users/me adds with it.
import { z } from "zod";

import { text } from "../core/validation.js";
import { UserPublic } from "../users/users.schemas.js";

export const ProviderPath = z.strictObject({ provider: text(1, 64) });

export const LoginCodeExchange = z.strictObject({ code: text(1, 128) }).meta({ id: "LoginCodeExchange" });

/** The caller's own account: the user record and the providers it signs in with. */
export const AccountPublic = UserPublic.extend({
  providers: z.array(z.string()).meta({ description: "linked OpenID Connect providers, sorted" }),
}).meta({ id: "AccountPublic" });
export type AccountPublic = z.output<typeof AccountPublic>;
