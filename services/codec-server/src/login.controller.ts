import { Body, Controller, Get, HttpStatus, Inject, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalidRequest, JsonLogger } from '@handoffs/service-kit/http';
import { CODEC_SERVER_SETTINGS, type CodecServerSettings } from './settings';
import { SupervisorSessions } from './supervisor-sessions';
import { cookieValue, SESSION_COOKIE } from './supervisor.guard';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
input{font:inherit;width:100%;padding:.4rem;margin:.5rem 0}button{font:inherit;padding:.4rem 1rem}
.message{color:#b00020}code{background:#f2f2f2;padding:0 .2rem}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>\n`;
}

function loginForm(message?: string): string {
  return page(
    'Codec server: supervisor login',
    `<p>Log in to let the Temporal Web UI in this browser decode handoff payloads. Every decode is audited under your supervisor id.</p>
${message ? `<p class="message">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/login"><label>Supervisor token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
<button type="submit">Log in</button></form>`,
  );
}

/**
 * The Web UI has no login of its own, so a supervisor logs in here once with their token: an
 * HttpOnly cookie (SameSite=None; Secure, which browsers accept from http://localhost too) then
 * lets the UI's Data Encoder decode with "include cross-origin credentials".
 */
@Controller()
export class LoginController {
  constructor(
    @Inject(CODEC_SERVER_SETTINGS) private readonly settings: CodecServerSettings,
    private readonly sessions: SupervisorSessions,
    private readonly logger: JsonLogger,
  ) {}

  @Get('login')
  form(@Res() reply: FastifyReply): void {
    this.html(reply, HttpStatus.OK, loginForm());
  }

  /** A form post answers with a page; any other body (JSON) with JSON, or problem+json on failure. */
  @Post('login')
  login(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const fromForm = String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const token = typeof body === 'object' && body !== null ? (body as { token?: unknown }).token : undefined;
    if (typeof token !== 'string' || token.trim() === '') {
      if (fromForm) return this.html(reply, HttpStatus.BAD_REQUEST, loginForm('Enter your supervisor token.'));
      throw invalidRequest([{ field: 'token', problems: ['token must be the supervisor token'] }]);
    }
    const supervisorId = this.settings.supervisors.identify(token.trim());
    if (!supervisorId) {
      this.logger.entry('warn', 'Login refused: not a supervisor token', 'Audit', { operation: 'login', outcome: 'refused' });
      if (fromForm) return this.html(reply, HttpStatus.UNAUTHORIZED, loginForm('That is not a valid supervisor token.'));
      throw new UnauthorizedException({ title: 'Unauthorized', detail: 'Not a valid supervisor token' });
    }
    const session = this.sessions.open(supervisorId);
    this.logger.entry('info', `Login for supervisor ${supervisorId}`, 'Audit', { operation: 'login', supervisor: supervisorId, expiresAt: session.expiresAt });
    const maxAge = Math.floor(this.settings.sessionTtlMs / 1000);
    void reply.header('set-cookie', `${SESSION_COOKIE}=${session.id}; Path=/; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=None`);
    if (!fromForm) {
      void reply.status(HttpStatus.OK).header('cache-control', 'no-store').send({ supervisor: supervisorId, expiresAt: session.expiresAt.toISOString() });
      return;
    }
    const endpoint = `${request.protocol}://${request.host}`;
    this.html(
      reply,
      HttpStatus.OK,
      page(
        'Logged in',
        `<p>Logged in as <strong>${escapeHtml(supervisorId)}</strong> until ${escapeHtml(session.expiresAt.toISOString().replace('T', ' ').slice(0, 16))} UTC.</p>
<p>In the Temporal Web UI, open <em>Data Encoder</em>, set the codec server endpoint to <code>${escapeHtml(endpoint)}</code>,
tick <em>Include cross-origin credentials</em> and apply. Payloads then show decoded.</p>
<form method="post" action="/logout"><button type="submit">Log out</button></form>`,
      ),
    );
  }

  @Post('logout')
  logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const session = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (session) this.sessions.close(session);
    void reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=None`);
    this.html(reply, HttpStatus.OK, loginForm('Logged out.'));
  }

  private html(reply: FastifyReply, status: number, body: string): void {
    void reply
      .status(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer')
      .send(body);
  }
}
