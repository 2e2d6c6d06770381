import { createParamDecorator, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JsonLogger } from '@handoffs/service-kit/http';
import { CODEC_SERVER_SETTINGS, type CodecServerSettings } from './settings';
import { SupervisorSessions } from './supervisor-sessions';

export const SESSION_COOKIE = 'codec_session';

export interface Supervisor {
  id: string;
  /** How the request proved it: a bearer token, or the cookie of a login through /login. */
  via: 'token' | 'session';
}

export interface SupervisedRequest extends FastifyRequest {
  supervisor?: Supervisor;
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return undefined;
}

/**
 * Lets a request through only for a supervisor: a valid `Authorization: Bearer <token>`, or else a
 * login session's cookie, which counts only from an allowed Web UI origin (or with no Origin at all),
 * so that no other site can make a logged-in browser decode for it.
 */
@Injectable()
export class SupervisorGuard implements CanActivate {
  constructor(
    @Inject(CODEC_SERVER_SETTINGS) private readonly settings: CodecServerSettings,
    private readonly sessions: SupervisorSessions,
    private readonly logger: JsonLogger,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<SupervisedRequest>();
    const supervisor = this.authenticate(request);
    if (!supervisor) {
      this.logger.entry('warn', 'Refused: no valid supervisor token or login', 'Audit', {
        operation: request.url.split('?')[0].slice(1),
        outcome: 'refused',
        origin: request.headers.origin ?? null,
      });
      void context.switchToHttp().getResponse<FastifyReply>().header('www-authenticate', 'Bearer realm="codec-server"');
      throw new UnauthorizedException({
        title: 'Unauthorized',
        detail: 'Decoding needs a valid supervisor token (Authorization: Bearer <token>) or a login at /login',
      });
    }
    request.supervisor = supervisor;
    return true;
  }

  private authenticate(request: FastifyRequest): Supervisor | undefined {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const token = /^Bearer +(\S+)$/i.exec(authorization)?.[1];
      const id = token ? this.settings.supervisors.identify(token) : undefined;
      return id ? { id, via: 'token' } : undefined;
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !this.settings.allowedOrigins.includes(origin)) return undefined;
    const session = cookieValue(request.headers.cookie, SESSION_COOKIE);
    const id = session ? this.sessions.supervisorOf(session) : undefined;
    return id ? { id, via: 'session' } : undefined;
  }
}

/** The supervisor the guard let through, as a handler parameter. */
export const CurrentSupervisor = createParamDecorator((_: unknown, context: ExecutionContext): Supervisor => {
  const supervisor = context.switchToHttp().getRequest<SupervisedRequest>().supervisor;
  if (!supervisor) throw new UnauthorizedException();
  return supervisor;
});
