// A real OpenID Connect provider for the OAuth tests: oidc-provider (OpenID-certified) on a
// loopback port, with its development interactions (a login form, then a consent form, that
// the tests' HTTP client fills in). Never a mock: discovery, JWKS, PKCE, nonce and the code
// exchange are the library's own.
//
// Usage: node provider.mjs PORT CLIENTS_JSON
//   CLIENTS_JSON: [{"client_id", "client_secret", "redirect_uris": [...]}, ...]
// Accounts: `POST /test/accounts {"sub", "email", "email_verified", "name"}` adds one (a test
// route of this script, not of the library); the login form's "login" field names its sub.
import Provider from "oidc-provider";

const [port, clientsJson] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const accounts = new Map();

const provider = new Provider(issuer, {
  clients: JSON.parse(clientsJson).map((client) => ({
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
    ...client,
  })),
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

provider.use(async (ctx, next) => {
  if (ctx.method !== "POST" || ctx.path !== "/test/accounts") return next();
  let text = "";
  for await (const chunk of ctx.req) text += chunk;
  const claims = JSON.parse(text);
  accounts.set(claims.sub, claims);
  ctx.status = 204;
});

const server = provider.listen(Number(port), "127.0.0.1", () => {
  console.log(JSON.stringify({ msg: "listening", issuer }));
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
