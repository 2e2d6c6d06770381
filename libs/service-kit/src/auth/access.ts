import {
  CanActivate,
  createParamDecorator,
  ForbiddenException,
  Injectable,
  SetMetadata,
  ServiceUnavailableException,
  UnauthorizedException,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Actor, Domain, Principal, Role } from '@handoffs/contracts';
import { IdentityProviderUnavailable, TokenRefused, type TokenVerifier } from './token-verifier';

/**
 * Who may use a route: staff of this service's domain (by default) holding one of `roles` (any role
 * when none is named). Declared on the route or its controller, decided by the AccessGuard alone.
 */
export interface AccessRule {
  roles?: readonly Role[];
  /** Also staff of other domains (e.g. supervisors); by default only this service's own domain. */
  anyDomain?: boolean;
}

const ACCESS_RULE = 'handoffs:access-rule';
const PUBLIC_ROUTE = 'handoffs:public-route';

export const Access = (rule: AccessRule) => SetMetadata(ACCESS_RULE, rule);

/** A route open to anyone, without a token (only /health). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/** The principal the guard verified for this request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('No verified principal: the route is public or the AccessGuard is not installed');
  return principal;
});

/** The actor recorded for this request: the token's subject in its domain, never a value from the request. */
export function actorOf(principal: Principal, domain: Domain): Actor {
  return { domain, caseworkerId: principal.subject };
}

/**
 * The one place a service decides access: a verified bearer token (else 401), of this domain and
 * with a role the route names (else 403). It runs before validation and the handler, so a refused
 * request changes nothing.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly domain: Domain,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.principalOf(request);
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, targets) ?? {};
    if (!rule.anyDomain && principal.domain !== this.domain) {
      throw new ForbiddenException('This is for the staff of another office');
    }
    if (rule.roles && !rule.roles.some((role) => principal.roles.includes(role))) {
      throw new ForbiddenException('Your role does not allow this');
    }
    request.principal = principal;
    return true;
  }

  private async principalOf(request: AuthenticatedRequest): Promise<Principal> {
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    try {
      return await this.verifier.verify(scheme?.toLowerCase() === 'bearer' ? token : undefined);
    } catch (error) {
      if (error instanceof TokenRefused) {
        throw new UnauthorizedException({ title: 'Unauthorized', detail: 'A valid bearer token is required', bearer: error.reason === 'missing' ? 'missing' : 'invalid' });
      }
      if (error instanceof IdentityProviderUnavailable) throw new ServiceUnavailableException('The identity provider cannot be reached');
      throw error;
    }
  }
}
