import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { KEY_ID_METADATA, PayloadEncryptionCodec, PayloadKeySet, payloadsFromJson, payloadsToJson } from '@handoffs/temporal';
import { SUBJECT, TEST_UI_ORIGIN, startCodecServer, testStack, type TestCodecServer } from '@handoffs/testing';

/** The built codec server as its own process, spoken to over HTTP as the Web UI and the CLI do. */
describe('codec server', () => {
  let codec: TestCodecServer;
  const keys = PayloadKeySet.from(testStack().payloadKeys);
  const services = new PayloadEncryptionCodec(keys);
  const [, previousKey] = testStack().payloadKeys.split(',');
  const beforeRotation = new PayloadEncryptionCodec(PayloadKeySet.from(previousKey));

  beforeAll(async () => {
    codec = await startCodecServer();
  });

  afterAll(() => codec?.stop());

  const plain = (): Payload => defaultPayloadConverter.toPayload(SUBJECT);
  const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${codec.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const raw = await response.text();
    const json = response.headers.get('content-type')?.includes('json') && raw ? JSON.parse(raw) : undefined;
    return { status: response.status, headers: response.headers, body: json, text: raw };
  }

  const asSupervisor = () => ({ authorization: `Bearer ${codec.supervisor.token}` });

  async function login(): Promise<string> {
    const response = await fetch(`${codec.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: codec.supervisor.token }).toString(),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^codec_session=[\w-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('SameSite=None');
    return cookie.split(';')[0];
  }

  it('is healthy', async () => {
    const health = await fetch(`${codec.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('refuses to decode without a valid supervisor token: 401 problem+json', async () => {
    const payloads = payloadsToJson(await services.encode([plain()]));
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer not-a-token' }, { authorization: `Basic ${codec.supervisor.token}` }, { authorization: '' }];
    for (const headers of attempts) {
      const refused = await post('/decode', payloads, headers);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.headers.get('www-authenticate')).toContain('Bearer');
      expect(refused.body).toMatchObject({ status: 401, title: 'Unauthorized' });
      expect(refused.text).not.toContain(SUBJECT.familyName);
    }
    expect((await post('/encode', payloadsToJson([plain()]))).status).toBe(401);
    const refusals = codec.server.output.join('').split('\n').filter((line) => line.includes('"outcome":"refused"'));
    expect(refusals.map((line) => JSON.parse(line))).toContainEqual(expect.objectContaining({ context: 'Audit', operation: 'decode' }));
    expect(codec.server.output.join('')).not.toContain('not-a-token');
  });

  it('decodes for a supervisor: the plain payloads, uncached, and the audit log names who, where and how many, never what', async () => {
    const encrypted = await services.encode([plain(), defaultPayloadConverter.toPayload('second')]);
    expect(text(encrypted[0].data)).not.toContain(SUBJECT.familyName);
    const decoded = await post('/decode', payloadsToJson(encrypted), { ...asSupervisor(), 'x-namespace': 'handoffs-audit' });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('cache-control')).toBe('no-store');
    const payloads = payloadsFromJson(decoded.body).payloads;
    expect(payloads.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([SUBJECT, 'second']);

    const audit = codec.server.output.join('').split('\n').filter((line) => line.includes('"context":"Audit"'));
    expect(audit.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ operation: 'decode', supervisor: 'sv.weber', via: 'token', namespace: 'handoffs-audit', payloads: 2 }),
    );
    expect(codec.server.output.join('')).not.toContain(SUBJECT.familyName);
    expect(codec.server.output.join('')).not.toContain(codec.supervisor.token);
  });

  it('encodes for a supervisor under the current key, as the services would', async () => {
    const encoded = await post('/encode', payloadsToJson([plain()]), asSupervisor());
    expect(encoded.status).toBe(200);
    const [payload] = payloadsFromJson(encoded.body).payloads;
    expect(text(payload.metadata?.[KEY_ID_METADATA])).toBe(keys.currentKeyId);
    expect(defaultPayloadConverter.fromPayload((await services.decode([payload]))[0])).toEqual(SUBJECT);
  });

  it('decodes what the previous key encrypted (rotation) and passes unencrypted payloads through', async () => {
    const old = await beforeRotation.encode([plain()]);
    const decoded = await post('/decode', payloadsToJson([...old, plain()]), asSupervisor());
    expect(decoded.status).toBe(200);
    expect(payloadsFromJson(decoded.body).payloads.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([SUBJECT, SUBJECT]);
  });

  it('answers bad input with 400 problem+json naming each bad field, and an unknown key by its id', async () => {
    const [good] = await services.encode([plain()]);
    const unknownKey = { ...good, metadata: { ...good.metadata, [KEY_ID_METADATA]: Buffer.from('retired-2020') } };
    const bad = await post('/decode', { payloads: [payloadsToJson([good]).payloads[0], payloadsToJson([unknownKey]).payloads[0], { metadata: { encoding: '%%%' }, data: 'ok' }, 7] }, {
      ...asSupervisor(),
      'x-namespace': 'no spaces allowed',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['X-Namespace', 'payloads[2].metadata.encoding', 'payloads[3]']);

    const undecodable = await post('/decode', payloadsToJson([good, unknownKey]), asSupervisor());
    expect(undecodable.status).toBe(400);
    expect(undecodable.body.errors).toEqual([{ field: 'payloads[1]', problems: [expect.stringContaining('key id "retired-2020"')] }]);
    expect(undecodable.text).not.toContain(SUBJECT.familyName);

    for (const body of ['{"payloads": ', '{"payload": []}', 'null']) {
      const malformed = await post('/decode', body, asSupervisor());
      expect(malformed.status).toBe(400);
      expect(malformed.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('grants CORS, with credentials, to the Web UI origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${codec.url}/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace,authorization' },
      });
    const granted = await preflight(TEST_UI_ORIGIN);
    expect(granted.status).toBe(204);
    expect(granted.headers.get('access-control-allow-origin')).toBe(TEST_UI_ORIGIN);
    expect(granted.headers.get('access-control-allow-credentials')).toBe('true');
    expect(granted.headers.get('access-control-allow-headers')?.toLowerCase().split(/, */).sort()).toEqual(['authorization', 'content-type', 'x-namespace']);
    expect(granted.headers.get('access-control-allow-methods')).toContain('POST');

    const other = await preflight('http://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-credentials')).toBeNull();

    const payloads = payloadsToJson(await services.encode([plain()]));
    expect((await post('/decode', payloads, { ...asSupervisor(), origin: TEST_UI_ORIGIN })).headers.get('access-control-allow-origin')).toBe(TEST_UI_ORIGIN);
    expect((await post('/decode', payloads, { ...asSupervisor(), origin: 'http://evil.example' })).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets a supervisor log in on its page; the cookie then decodes from the Web UI origin, not from another site', async () => {
    const page = await fetch(`${codec.url}/login`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await page.text()).toContain('name="token"');

    const wrong = await fetch(`${codec.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=guess',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const cookie = await login();
    const payloads = payloadsToJson(await services.encode([plain()]));
    const fromUi = await post('/decode', payloads, { cookie, origin: TEST_UI_ORIGIN });
    expect(fromUi.status).toBe(200);
    expect(defaultPayloadConverter.fromPayload(payloadsFromJson(fromUi.body).payloads[0])).toEqual(SUBJECT);
    expect((await post('/decode', payloads, { cookie })).status).toBe(200);
    expect((await post('/decode', payloads, { cookie, origin: 'http://evil.example' })).status).toBe(401);
    expect((await post('/decode', payloads, { cookie: 'codec_session=forged' })).status).toBe(401);

    const audit = codec.server.output.join('').split('\n').filter((line) => line.includes('"via":"session"'));
    expect(audit.length).toBeGreaterThan(0);

    const out = await fetch(`${codec.url}/logout`, { method: 'POST', headers: { cookie } });
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await post('/decode', payloads, { cookie, origin: TEST_UI_ORIGIN })).status).toBe(401);
  });

  it('answers a JSON login with JSON, and a login without a token with 400 naming the field', async () => {
    const missing = await post('/login', {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ field: 'token', problems: [expect.any(String)] }]);
    const wrong = await post('/login', { token: 'guess' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    const ok = await post('/login', { token: codec.supervisor.token });
    expect(ok).toMatchObject({ status: 200, body: { supervisor: 'sv.weber' } });
  });

  it('serves the protocol under any path prefix: only the last segment counts', async () => {
    const decoded = await post('/temporal/codec/decode', payloadsToJson(await services.encode([plain()])), asSupervisor());
    expect(decoded.status).toBe(200);
  });
});
