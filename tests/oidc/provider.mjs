// A real OpenID Connect provider for the OAuth tests: oidc-provider (OpenID-certified) on a
// loopback port, with its development interactions (a login form, then a consent form, that
// the tests' HTTP client fills in). Never a mock: discovery, JWKS, PKCE, nonce and the code
// exchange are the library's own.
//
// Usage: node provider.mjs PORT CLIENTS_JSON
//   CLIENTS_JSON: [{"client_id", "client_secret", "redirect_uris": [...]}, ...]
// Test routes of this script (not of the library):
// - POST /test/accounts {"sub", "email", "email_verified", "name"} adds an account; the login
//   form's "login" field names its sub.
// - POST /test/mischief {"kind"} spoils the next token exchange the way a broken or hostile
//   provider (or a path to it) would, so the services' checks can be shown to refuse it:
//   "audience", "nonce", "expired", "issuer": the ID token says so, signed with the real key;
//   "signature": its signature no longer matches; "alg_none": unsigned; "hs256": signed with
//   HMAC using the public key as the secret (algorithm confusion). (A PKCE mismatch needs no
//   mischief: the test changes the code_challenge of the authorization URL it follows.)
import { SignJWT, decodeJwt, exportJWK, exportSPKI, generateKeyPair } from "jose";
import Provider from "oidc-provider";

const [port, clientsJson] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const accounts = new Map();
let mischief = null;

const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: "tests-1", alg: "RS256", use: "sig" };

const provider = new Provider(issuer, {
  clients: JSON.parse(clientsJson).map((client) => ({
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
    ...client,
  })),
  jwks: { keys: [signingKey] },
  // Confidential clients too must send a PKCE challenge (S256).
  pkce: { required: () => true },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  // The scopes' claims go in the ID token itself, as Google's and Microsoft's do.
  conformIdTokenClaims: false,
  findAccount: (_ctx, sub) => {
    const claims = accounts.get(sub);
    return claims && { accountId: sub, claims: () => claims };
  },
  // The tests run the provider briefly: fresh cookie keys each time are enough.
  cookies: { keys: [crypto.randomUUID()] },
});

async function readJson(ctx) {
  let text = "";
  for await (const chunk of ctx.req) text += chunk;
  return JSON.parse(text);
}

const encode = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");

async function spoiled(token, kind) {
  const claims = decodeJwt(token);
  const now = Math.floor(Date.now() / 1000);
  const resign = (changes) =>
    new SignJWT({ ...claims, ...changes })
      .setProtectedHeader({ alg: "RS256", kid: signingKey.kid })
      .sign(privateKey);
  switch (kind) {
    case "audience":
      return resign({ aud: "another-client" });
    case "nonce":
      return resign({ nonce: "not-the-nonce-of-the-request" });
    case "expired":
      return resign({ iat: now - 7200, exp: now - 3600 });
    case "issuer":
      return resign({ iss: "http://127.0.0.1:9/another-issuer" });
    case "signature": {
      const [header, , signature] = token.split(".");
      return `${header}.${encode({ ...claims, email: "someone.else@example.com" })}.${signature}`;
    }
    case "alg_none":
      return `${encode({ alg: "none" })}.${encode(claims)}.`;
    case "hs256": {
      const secret = new TextEncoder().encode(await exportSPKI(publicKey));
      return new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: signingKey.kid }).sign(secret);
    }
    default:
      throw new Error(`unknown mischief ${kind}`);
  }
}

provider.use(async (ctx, next) => {
  if (ctx.method === "POST" && ctx.path === "/test/accounts") {
    const claims = await readJson(ctx);
    accounts.set(claims.sub, claims);
    ctx.status = 204;
    return;
  }
  if (ctx.method === "POST" && ctx.path === "/test/mischief") {
    mischief = (await readJson(ctx)).kind;
    ctx.status = 204;
    return;
  }
  if (ctx.path !== "/token" || mischief === null) return next();
  const kind = mischief;
  mischief = null;
  await next();
  if (ctx.status === 200 && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await spoiled(ctx.body.id_token, kind) };
  }
});

const server = provider.listen(Number(port), "127.0.0.1", () => {
  console.log(JSON.stringify({ msg: "listening", issuer }));
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
