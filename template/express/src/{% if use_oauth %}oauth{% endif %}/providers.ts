// The OpenID Connect providers: each one's discovery document, fetched on first use and
// kept (a provider down at start-up does not stop the service; a failed discovery is
// tried again by the next sign-in), and openid-client's configuration over it. The ID
// token's signature is checked against the provider's JWKS, which openid-client keeps
// for 5 minutes and fetches again for an unknown `kid` at most once a minute.
import * as client from "openid-client";

import type { ProviderSettings } from "./config.js";
import { ProviderUnavailableError, UnknownProviderError } from "./errors.js";

/** Asymmetric algorithms only: never `none`, never an HMAC keyed with something public. */
const SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"];
/** Seconds of clock difference allowed between the provider and this service. */
export const CLOCK_TOLERANCE_SECONDS = 60;
const DISCOVERY_TIMEOUT_SECONDS = 10;

export interface Provider {
  settings: ProviderSettings;
  config: client.Configuration;
}

/**
 * The algorithm ID tokens must be signed with: the first of ours the provider announces
 * (RS256 when it announces none, as OpenID Connect Discovery makes it the default).
 */
export function pinnedAlgorithm(announced: readonly string[] | undefined): string | undefined {
  if (announced === undefined) return "RS256";
  return SIGNING_ALGORITHMS.find((algorithm) => announced.includes(algorithm));
}

/** client_secret_basic unless the provider announces only client_secret_post. */
function clientAuth(server: client.ServerMetadata, secret: string): client.ClientAuth {
  const methods = server.token_endpoint_auth_methods_supported;
  const post = methods?.includes("client_secret_post") && !methods.includes("client_secret_basic");
  return post ? client.ClientSecretPost(secret) : client.ClientSecretBasic(secret);
}

async function discover(settings: ProviderSettings, allowHttp: boolean): Promise<Provider> {
  // http:// only where OIDC_ALLOW_HTTP_ISSUER says so (config.ts); deprecated to make it stand out.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const execute = allowHttp ? [client.allowInsecureRequests] : [];
  const found = await client.discovery(settings.issuer, settings.clientId, undefined, undefined, {
    execute,
    timeout: DISCOVERY_TIMEOUT_SECONDS,
  });
  const server = found.serverMetadata();
  const algorithm = pinnedAlgorithm(server.id_token_signing_alg_values_supported);
  if (algorithm === undefined) throw new Error("the provider signs ID tokens with no algorithm this service accepts");
  const config = new client.Configuration(
    server,
    settings.clientId,
    {
      client_secret: settings.clientSecret,
      id_token_signed_response_alg: algorithm,
      [client.clockTolerance]: CLOCK_TOLERANCE_SECONDS,
    },
    clientAuth(server, settings.clientSecret),
  );
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the same step, on the final configuration
  for (const step of execute) step(config);
  // The ID token comes straight from the token endpoint, which OpenID Connect lets a client
  // trust without a signature check; this service checks it all the same.
  client.enableNonRepudiationChecks(config);
  return { settings, config };
}

export class Providers {
  private readonly settings: ReadonlyMap<string, ProviderSettings>;
  private readonly discovered = new Map<string, Promise<Provider>>();

  constructor(
    providers: readonly ProviderSettings[],
    private readonly allowHttp: boolean,
  ) {
    this.settings = new Map(providers.map((provider) => [provider.name, provider]));
  }

  /** 404 for a name OIDC_PROVIDERS does not list. */
  settingsOf(name: string): ProviderSettings {
    const found = this.settings.get(name);
    if (!found) throw new UnknownProviderError();
    return found;
  }

  /** The provider, discovered now or earlier; 502 when its discovery fails. */
  async get(name: string): Promise<Provider> {
    const settings = this.settingsOf(name);
    let provider = this.discovered.get(name);
    if (!provider) {
      provider = discover(settings, this.allowHttp);
      this.discovered.set(name, provider);
      // Forgotten on failure, so that the next sign-in tries again.
      provider.catch(() => this.discovered.delete(name));
    }
    try {
      return await provider;
    } catch (err) {
      throw new ProviderUnavailableError(name, err);
    }
  }
}
