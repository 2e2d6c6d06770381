import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { isDomain, isRole, type Principal } from '@handoffs/contracts';

/** Which identity provider a service trusts, and for which audience its tokens must be made out. */
export interface IdentityProvider {
  /** The issuer URL, e.g. `http://localhost:8080/realms/handoffs`; any OIDC provider serves. */
  issuer: string;
  audience: string;
  /** How long a fetched key set is not fetched again, even for a token naming an unknown key (default 30 s). */
  keyRefetchPause?: number;
}

/** Why a token was not accepted; the caller learns only that it was not (401), the log learns which. */
export class TokenRefused extends Error {
  constructor(readonly reason: 'missing' | 'invalid' | 'no-subject') {
    super(`Token refused: ${reason}`);
    this.name = 'TokenRefused';
  }
}

/** The provider's keys could not be had: the request cannot be decided now (503), whoever sent it. */
export class IdentityProviderUnavailable extends Error {
  constructor() {
    super('The identity provider cannot be reached');
    this.name = 'IdentityProviderUnavailable';
  }
}

/**
 * Verifies bearer tokens against the provider's published keys: signature (the JWKS found through
 * the provider's discovery document, cached, refetched when a token names a key it has not seen:
 * key rotation), issuer, audience and expiry. What it returns is the principal the token proves.
 */
export class TokenVerifier {
  private keys?: Promise<JWTVerifyGetKey>;

  constructor(private readonly provider: IdentityProvider) {}

  async verify(token: string | undefined): Promise<Principal> {
    if (!token) throw new TokenRefused('missing');
    const keys = await this.publishedKeys();
    let claims: Record<string, unknown>;
    try {
      const { payload } = await jwtVerify(token, keys, { issuer: this.provider.issuer, audience: this.provider.audience, clockTolerance: 5 });
      claims = payload;
    } catch (error) {
      // The provider not answering is not the caller's fault: it is no refusal of their token.
      if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout)) throw new TokenRefused('invalid');
      throw new IdentityProviderUnavailable();
    }
    const subject = typeof claims.preferred_username === 'string' ? claims.preferred_username : claims.sub;
    if (typeof subject !== 'string' || subject.length === 0) throw new TokenRefused('no-subject');
    return {
      subject,
      domain: isDomain(claims.domain) ? claims.domain : null,
      roles: Array.isArray(claims.roles) ? claims.roles.filter(isRole) : [],
    };
  }

  /** The provider's key set, found once through its discovery document; a failed look-up is tried again next time. */
  private publishedKeys(): Promise<JWTVerifyGetKey> {
    this.keys ??= discoverKeySet(this.provider.issuer, this.provider.keyRefetchPause ?? 30_000).catch((error: unknown) => {
      this.keys = undefined;
      throw error;
    });
    return this.keys;
  }
}

async function discoverKeySet(issuer: string, refetchPause: number): Promise<JWTVerifyGetKey> {
  const discovery = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let jwksUri: string | undefined;
  try {
    const response = await fetch(discovery, { signal: AbortSignal.timeout(5000) });
    if (response.ok) ({ jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: string });
  } catch {
    // unreachable: said below
  }
  if (!jwksUri) throw new IdentityProviderUnavailable();
  return createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: refetchPause, timeoutDuration: 5000 });
}
