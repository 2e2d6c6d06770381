import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { SERVICES_AUDIENCE, type Principal } from '@handoffs/contracts';
import { ProblemDetailsFilter } from '../problem-details';
import { Access, AccessGuard, actorOf, CurrentPrincipal, Public } from './access';
import { TokenVerifier } from './token-verifier';

/** A provider of our own on loopback: its discovery document and its published keys, which a test can rotate. */
class TestProvider {
  private server?: Server;
  private published: JWK[] = [];
  keyRequests = 0;
  issuer = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url === '/realms/test/.well-known/openid-configuration') {
        response.end(JSON.stringify({ issuer: this.issuer, jwks_uri: `${this.issuer}/certs` }));
      } else if (request.url === '/realms/test/certs') {
        this.keyRequests++;
        response.end(JSON.stringify({ keys: this.published }));
      } else {
        response.statusCode = 404;
        response.end('{}');
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/realms/test`;
  }

  async newKey(kid: string): Promise<KeyLike> {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    this.published = [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }];
    return privateKey;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

@Controller()
class ProbeController {
  @Get('health')
  @Public()
  health() {
    return { status: 'ok' };
  }

  @Get('inbox/tasks')
  inbox(@CurrentPrincipal() principal: Principal) {
    return { listedFor: principal.subject };
  }

  @Post('inbox/tasks/answer')
  @Access({ roles: ['caseworker', 'team-lead'] })
  answer(@CurrentPrincipal() principal: Principal, @Body() body: { caseworkerId?: string }) {
    return { recordedActor: actorOf(principal, 'job-centre'), ignored: body.caseworkerId ?? null };
  }

  @Get('statistics')
  @Access({ roles: ['supervisor'], anyDomain: true })
  statistics() {
    return { open: 3 };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

/** The access rules of one service (the job centre's here), decided by the guard on real signed tokens. */
describe('access: verified tokens, domain and role', () => {
  const provider = new TestProvider();
  let app: NestFastifyApplication;
  let signingKey: KeyLike;

  const token = (claims: Record<string, unknown>, options: { key?: KeyLike; kid?: string; issuer?: string; audience?: string; expiresIn?: string } = {}) =>
    new SignJWT({ domain: 'job-centre', roles: ['caseworker'], ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'key-1' })
      .setIssuer(options.issuer ?? provider.issuer)
      .setAudience(options.audience ?? SERVICES_AUDIENCE)
      .setSubject('3f6b2c1e-0000-4000-8000-000000000001')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key ?? signingKey);

  async function call(method: 'GET' | 'POST', url: string, bearer?: string, payload?: object) {
    const reply = await app.inject({ method, url, payload, headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
    return { status: reply.statusCode, body: reply.json(), authenticate: reply.headers['www-authenticate'], type: reply.headers['content-type'] };
  }

  beforeAll(async () => {
    await provider.start();
    signingKey = await provider.newKey('key-1');
    app = await NestFactory.create<NestFastifyApplication>(ProbeModule, new FastifyAdapter(), { logger: false });
    app.useGlobalFilters(new ProblemDetailsFilter());
    app.useGlobalGuards(new AccessGuard(app.get(Reflector), new TokenVerifier({ issuer: provider.issuer, audience: SERVICES_AUDIENCE, keyRefetchPause: 200 }), 'job-centre'));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app?.close();
    await provider.stop();
  });

  it('leaves /health open', async () => {
    expect(await call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('answers 401 problem+json with WWW-Authenticate, and no reason, without a token or with a bad one', async () => {
    const expired = await token({ preferred_username: 'jc.mueller' }, { expiresIn: '-10m' });
    const forged = await token({ preferred_username: 'jc.mueller' }, { key: (await generateKeyPair('RS256')).privateKey });
    const otherAudience = await token({ preferred_username: 'jc.mueller' }, { audience: 'someone-else' });
    const otherIssuer = await token({ preferred_username: 'jc.mueller' }, { issuer: 'http://127.0.0.1:1/realms/elsewhere' });
    const missing = await call('GET', '/inbox/tasks');
    expect(missing).toMatchObject({ status: 401, authenticate: 'Bearer realm="handoffs"', body: { status: 401, detail: 'A valid bearer token is required' } });
    expect(missing.type).toContain('application/problem+json');
    for (const bad of [expired, forged, otherAudience, otherIssuer, 'not-a-token']) {
      const refused = await call('GET', '/inbox/tasks', bad);
      expect(refused).toMatchObject({ status: 401, authenticate: 'Bearer realm="handoffs", error="invalid_token"' });
      expect(refused.body).toEqual(missing.body);
    }
  });

  it("lets this domain's staff in, and takes the actor from the token, never from the body", async () => {
    const mueller = await token({ preferred_username: 'jc.mueller' });
    expect(await call('GET', '/inbox/tasks', mueller)).toMatchObject({ status: 200, body: { listedFor: 'jc.mueller' } });
    expect(await call('POST', '/inbox/tasks/answer', mueller, { caseworkerId: 'intruder' })).toMatchObject({
      status: 201,
      body: { recordedActor: { domain: 'job-centre', caseworkerId: 'jc.mueller' }, ignored: 'intruder' },
    });
  });

  it('answers 403 to another domain, or to the right domain with the wrong role', async () => {
    const immigration = await token({ preferred_username: 'abh.schmidt', domain: 'immigration' });
    const dpo = await token({ preferred_username: 'dpo.jc', roles: ['data-protection-officer'] });
    expect(await call('GET', '/inbox/tasks', immigration)).toMatchObject({ status: 403, body: { status: 403 } });
    expect(await call('POST', '/inbox/tasks/answer', dpo, {})).toMatchObject({ status: 403 });
    expect(await call('GET', '/statistics', await token({ preferred_username: 'jc.mueller' }))).toMatchObject({ status: 403 });
    const supervisor = await token({ preferred_username: 'supervisor', domain: null, roles: ['supervisor', 'made-up-role'] });
    expect(await call('GET', '/statistics', supervisor)).toMatchObject({ status: 200, body: { open: 3 } });
  });

  it('honours a rotated key: a token under a new key is verified once the provider publishes it', async () => {
    const requestsBefore = provider.keyRequests;
    const rotated = await provider.newKey('key-2');
    const underNewKey = await token({ preferred_username: 'jc.mueller' }, { key: rotated, kid: 'key-2' });
    // The key set is cached; a token naming an unknown key makes the verifier fetch it again (after its pause).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await call('GET', '/inbox/tasks', underNewKey)).toMatchObject({ status: 200 });
    expect(provider.keyRequests).toBeGreaterThan(requestsBefore);
    expect(await call('GET', '/inbox/tasks', await token({ preferred_username: 'jc.mueller' }))).toMatchObject({ status: 401 });
  });

  it('answers 503 while the provider cannot be reached, and decides nothing', async () => {
    const unreachable = new AccessGuard(app.get(Reflector), new TokenVerifier({ issuer: 'http://127.0.0.1:1/realms/none', audience: SERVICES_AUDIENCE }), 'job-centre');
    const context = {
      getHandler: () => ProbeController.prototype.inbox,
      getClass: () => ProbeController,
      switchToHttp: () => ({ getRequest: () => ({ headers: { authorization: `Bearer ${'x'}` } }) }),
    };
    await expect(unreachable.canActivate(context as never)).rejects.toMatchObject({ status: 503 });
  });
});
