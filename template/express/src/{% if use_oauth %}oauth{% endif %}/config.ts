// The oauth settings, merged into the service's by src/settings.ts. Each provider's own
// variables are named after it (OIDC_<NAME>_ISSUER …), so OIDC_PROVIDERS says which to read.
import { z } from "zod";

import { flag, required } from "../core/config.js";

const PROVIDER_NAME = /^[a-z][a-z0-9]{0,31}$/;
const DEFAULT_SCOPES = "openid email profile";

/** A comma-separated list; blanks around and between the items do not count. */
const list = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== ""),
);

const providerNames = list.superRefine((names, ctx) => {
  for (const name of names.filter((each) => !PROVIDER_NAME.test(each))) {
    const message = `"${name}" is not a provider name: a lower-case letter, then up to 31 letters and digits`;
    ctx.addIssue({ code: "custom", message });
  }
  if (new Set(names).size !== names.length) ctx.addIssue({ code: "custom", message: "names a provider twice" });
});

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });

export const oauthSettings = {
  OIDC_PROVIDERS: providerNames.default([]),
  // Exact URLs, compared as written: a prefix or a pattern would let an attacker's page in.
  OAUTH_REDIRECT_ALLOWLIST: list.pipe(z.array(httpUrl)).default([]),
  // Where browsers reach this service; the callback URL registered with each provider starts with it.
  PUBLIC_BASE_URL: httpUrl.transform((value) => value.replace(/\/+$/, "")).optional(),
  // Only for a provider on this machine (tests): tokens and secrets would cross the network in clear.
  OIDC_ALLOW_HTTP_ISSUER: flag.default(false),
};

/** One provider's settings, from its own variables. */
export interface ProviderSettings {
  name: string;
  issuer: URL;
  clientId: string;
  clientSecret: string;
  scopes: string;
}

const SUFFIXES = ["ISSUER", "CLIENT_ID", "CLIENT_SECRET", "SCOPES"] as const;

function issuer(allowHttp: boolean) {
  return z.string(required).superRefine((value, ctx) => {
    const protocol = URL.canParse(value) ? new URL(value).protocol : "";
    if (protocol === "https:" || (protocol === "http:" && allowHttp)) return;
    const message =
      protocol === "http:"
        ? "must be an https:// URL (OIDC_ALLOW_HTTP_ISSUER=true allows http://)"
        : "must be the issuer's https:// URL";
    ctx.addIssue({ code: "custom", message });
  });
}

/** The variables of provider `name`. */
function providerShape(name: string, allowHttp: boolean): Record<string, z.ZodType<string>> {
  const prefix = `OIDC_${name.toUpperCase()}_`;
  return {
    [`${prefix}ISSUER`]: issuer(allowHttp),
    [`${prefix}CLIENT_ID`]: z.string(required),
    [`${prefix}CLIENT_SECRET`]: z.string(required),
    [`${prefix}SCOPES`]: z
      .string()
      .refine((value) => value.split(/\s+/).includes("openid"), { error: "must include openid" })
      .default(DEFAULT_SCOPES),
  };
}

/**
 * The variables of each provider that OIDC_PROVIDERS names in `env` (none while it is
 * invalid: its own check says so), and the schema that reads them into ProviderSettings.
 */
export function providerVariables(env: Record<string, string | undefined>) {
  const names = oauthSettings.OIDC_PROVIDERS.safeParse(env.OIDC_PROVIDERS ?? "").data ?? [];
  const allowed = env.OIDC_ALLOW_HTTP_ISSUER;
  const allowHttp = oauthSettings.OIDC_ALLOW_HTTP_ISSUER.safeParse(allowed === "" ? undefined : allowed).data;
  const shape = Object.assign({}, ...names.map((name) => providerShape(name, allowHttp === true))) as Record<
    string,
    z.ZodType<string>
  >;
  const schema = z.object(shape).transform((values): ProviderSettings[] =>
    names.map((name) => {
      const [issuerUrl, clientId, clientSecret, scopes] = SUFFIXES.map(
        (suffix) => values[`OIDC_${name.toUpperCase()}_${suffix}`] ?? "",
      );
      return {
        name,
        issuer: new URL(issuerUrl ?? ""),
        clientId: clientId ?? "",
        clientSecret: clientSecret ?? "",
        scopes: (scopes ?? DEFAULT_SCOPES).trim().split(/\s+/).join(" "),
      };
    }),
  );
  return { names: Object.keys(shape), schema };
}

/** The `redirect_uri` of provider `name`: what is registered with it. */
export function callbackUrl(publicBaseUrl: string, name: string): string {
  return `${publicBaseUrl}/api/v1/auth/oauth/${name}/callback`;
}
