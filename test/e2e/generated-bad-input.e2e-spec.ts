import fc from 'fast-check';
import type { Client } from '@temporalio/client';
import type { Client as PgClient } from 'pg';
import type { Domain } from '@handoffs/contracts';
import { MAX_PAYLOADS } from '@handoffs/temporal';
import {
  ANSWER_ALLOWED,
  SUBJECT,
  eventually,
  newCaseRef,
  startCodecServer,
  startE2eStack,
  type E2eStack,
  type ServiceProcess,
  type TestCodecServer,
} from '@handoffs/testing';
import { badRequests, names, operationsOf, type GeneratedRequest, type OpenApiDocument, type Operation, type RequestOptions } from '../support/openapi-fuzz';

/**
 * Generated bad input: every route of the four domain services, read from their OpenAPI documents at
 * run time, and the codec server's, gets RUNS requests that break its schema in a known way (or name
 * something that does not exist). None may get a 5xx; each gets the answer the team's standard gives
 * (400 problem+json naming the bad field, 404, 413, 415); and nothing is written or started.
 */
const RUNS = 1000;
const PARALLEL_ENDPOINTS = 8;
const BODY_LIMIT = 256 * 1024;
const DOMAINS: Domain[] = ['immigration', 'job-centre', 'social-services', 'employment-agency-gateway'];
/** Routes that take no input to break. */
const NO_INPUT = ['GET /health', 'GET /docs', 'GET /docs-json', 'GET /login', 'POST /logout'];

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** Why `answer` is not what the standard gives for `request`, or undefined if it is. */
function complaint(request: GeneratedRequest, answer: Answer, { formLogin = false } = {}): string | undefined {
  const { violation } = request;
  if (answer.status >= 500) return `${answer.status} for ${violation.kinds.join(', ')}`;
  const allowed: Record<GeneratedRequest['violation']['target'], number[]> = {
    body: [400],
    query: [400],
    path: [400, 404],
    'raw-body': [400, 413, 415],
    nothing: [404],
  };
  if (!allowed[violation.target].includes(answer.status)) {
    return `${answer.status} for ${violation.target} ${'fields' in violation ? violation.fields.join(', ') : ''} (${violation.kinds.join(', ')}); expected ${allowed[violation.target].join(' or ')}: ${answer.text.slice(0, 300)}`;
  }
  // The codec server's login form answers a form post with a page (its browser flow), not problem+json.
  if (formLogin && request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') && answer.contentType.startsWith('text/html')) return undefined;
  if (!answer.contentType.startsWith('application/problem+json')) return `${answer.status} as ${answer.contentType}, not application/problem+json`;
  if (answer.status === 400 && (violation.target === 'body' || violation.target === 'query' || violation.target === 'path')) {
    const reported: string[] = (JSON.parse(answer.text).errors ?? []).map((error: { field: string }) => error.field);
    const unnamed = violation.fields.filter((field) => !reported.some((r) => names(r, field)));
    if (unnamed.length > 0) return `400 for ${violation.kinds.join(', ')} does not name ${unnamed.join(', ')} (it names ${reported.join(', ') || 'nothing'})`;
  }
  return undefined;
}

async function send(baseUrl: string, request: GeneratedRequest): Promise<Answer> {
  const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** The routes a process says it mapped at start (Nest logs each), as `METHOD /path/{param}`. */
function mappedRoutes(process: ServiceProcess): string[] {
  const mapped = [...process.output.join('').matchAll(/Mapped \{([^,}]+), (\w+)\} route/g)];
  return mapped.map(([, path, method]) => `${method} ${path.replace(/:(\w+)/g, '{$1}')}`).sort();
}

interface Target {
  name: string;
  url: string;
  operation: Operation;
  options: RequestOptions;
  formLogin?: boolean;
}

interface Outcome {
  requests: number;
  failure?: string;
}

/** Sends RUNS generated requests to one operation; a failing one is shrunk by fast-check and reported. */
async function fuzz(target: Target): Promise<Outcome> {
  let requests = 0;
  const property = fc.asyncProperty(badRequests(target.operation, target.options), async (request) => {
    requests += 1;
    const wrong = complaint(request, await send(target.url, request), { formLogin: target.formLogin });
    if (wrong) throw new Error(wrong);
  });
  const run = await fc.check(property, { numRuns: RUNS });
  if (!run.failed) return { requests };
  const [request] = run.counterexample ?? [];
  const shown = request ? `${request.method} ${request.path.slice(0, 200)} ${request.body?.slice(0, 400) ?? ''}` : 'no counterexample';
  return { requests, failure: `${shown}\n    ${(run.errorInstance as Error)?.message ?? String(run.errorInstance)} (seed ${run.seed}, after ${run.numRuns} runs)` };
}

/** The codec server publishes no OpenAPI document: its protocol (Temporal's remote codec) declared here. */
const CODEC_API: OpenApiDocument = {
  paths: {
    '/decode': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Payloads' } } } } } },
    '/encode': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Payloads' } } } } } },
    '/login': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Login' } } } } } },
  },
  components: {
    schemas: {
      Payloads: { type: 'object', required: ['payloads'], properties: { payloads: { type: 'array', maxItems: MAX_PAYLOADS, items: { $ref: '#/components/schemas/Payload' } } } },
      // proto3 JSON: standard or URL-safe base64, with or without padding (libs/temporal/src/codec-protocol.ts).
      Payload: {
        type: 'object',
        additionalProperties: false,
        properties: {
          metadata: { type: 'object', nullable: true, properties: { encoding: { type: 'string', pattern: '^[A-Za-z0-9+/_-]*={0,2}$' } } },
          data: { type: 'string', nullable: true, pattern: '^[A-Za-z0-9+/_-]*={0,2}$' },
        },
      },
      Login: { type: 'object', required: ['token'], properties: { token: { type: 'string', minLength: 1, pattern: '\\S' } } },
    },
  },
};

describe('generated bad input to every HTTP endpoint', () => {
  let stack: E2eStack;
  let codec: TestCodecServer;
  let temporal: Client;
  let db: PgClient;
  const docs = {} as Record<Domain, OpenApiDocument>;
  const outcomes = new Map<string, Outcome>();
  let before: State;

  interface State {
    rows: Record<string, string>;
    workflows: Record<string, string>;
  }

  /** Row count and digest of every table, and every workflow of the namespace with its history length. */
  async function state(): Promise<State> {
    const tables = await db.query<{ schemaname: string; relname: string }>('SELECT schemaname, relname FROM pg_stat_user_tables ORDER BY 1, 2');
    const rows: Record<string, string> = {};
    for (const { schemaname, relname } of tables.rows) {
      const { rows: [summary] } = await db.query<{ count: number; digest: string }>(
        `SELECT count(*)::int AS count, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${schemaname}"."${relname}" t`,
      );
      rows[`${schemaname}.${relname}`] = `${summary.count} rows, ${summary.digest}`;
    }
    const workflows: Record<string, string> = {};
    for await (const workflow of temporal.workflow.list()) {
      const described = await temporal.workflow.getHandle(workflow.workflowId, workflow.runId).describe();
      workflows[`${workflow.workflowId}/${workflow.runId}`] = `${described.status.name}, ${described.historyLength} events`;
    }
    return { rows, workflows };
  }

  /** The state once it holds still (the seeded handoff's activities done). */
  async function settledState(): Promise<State> {
    return eventually(async () => {
      const first = await state();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const second = await state();
      return JSON.stringify(first) === JSON.stringify(second) ? second : undefined;
    }, 60000, 'the database and the workflows to hold still');
  }

  beforeAll(async () => {
    [stack, codec] = await Promise.all([startE2eStack('e2e-bad-input'), startCodecServer()]);
    ({ temporal, db } = stack);
    for (const domain of DOMAINS) {
      docs[domain] = (await stack.call(domain, 'GET', '/docs-json')).body;
    }
  });

  afterAll(async () => {
    await Promise.all([stack?.close(), codec?.stop()]);
  });

  // Something to find, so that bad input to existing things reaches past the lookup: a handoff
  // waiting on the immigration office (with its inbox task) and a residence record.
  const caseRef = newCaseRef();
  const azrNumber = `FUZZ${Date.now().toString(36).toUpperCase()}`;
  let taskId: string;

  it('seeds a waiting handoff and a residence record, then takes the state', async () => {
    const requested = await stack.call('job-centre', 'POST', '/status-clarifications', {
      caseRef,
      caseworkerId: 'jc.mueller',
      subject: SUBJECT,
      questions: ['employment-permitted'],
    });
    expect(requested.status).toBe(202);
    const recorded = await stack.call('immigration', 'PUT', `/residence-records/${azrNumber}`, {
      caseworkerId: 'abh.schmidt',
      familyName: 'Fuzz',
      dateOfBirth: '1990-01-01',
      status: ANSWER_ALLOWED,
    });
    expect(recorded.status).toBe(200);
    taskId = await eventually(async () => {
      const { body } = await stack.call('immigration', 'GET', '/inbox/tasks?kind=status-inquiry');
      return (body as { id: string; caseRef: string }[]).find((task) => task.caseRef === caseRef)?.id;
    }, 30000, 'the seeded inquiry in the immigration inbox');
    before = await settledState();
    expect(Object.keys(before.workflows)).toHaveLength(1);
  });

  it(`answers ${RUNS} generated bad requests per endpoint without a 5xx, as the standard says`, async () => {
    const existing: Partial<Record<Domain, Record<string, string[]>>> = {
      immigration: { taskId: [taskId], azrNumber: [azrNumber], caseRef: [caseRef], process: ['status-clarification'] },
      'job-centre': { caseRef: [caseRef], process: ['status-clarification'] },
    };
    const targets: Target[] = DOMAINS.flatMap((domain) =>
      operationsOf(docs[domain], ['/health']).map((operation) => ({
        name: `${domain} ${operation.method} ${operation.path}`,
        url: stack.services[domain].url,
        operation,
        // Well-formed requests naming nothing that exists, only where they could change nothing if it did not.
        options: { existing: existing[domain], namesNothing: operation.method === 'GET' || operation.method === 'POST', bodyLimit: BODY_LIMIT },
      })),
    );
    const supervisor = { authorization: `Bearer ${codec.supervisor.token}` };
    for (const operation of operationsOf(CODEC_API)) {
      const authorized = operation.path !== '/login';
      // No body beyond its 8 MiB limit: the server answers 413 and closes before such a body is sent.
      const options = { headers: authorized ? supervisor : {} };
      targets.push({ name: `codec-server ${operation.method} ${operation.path}`, url: codec.url, operation, options, formLogin: !authorized });
    }

    // A few endpoints at a time, each sending its requests one after another: modest load on a small machine.
    const waiting = [...targets];
    await Promise.all(Array.from({ length: PARALLEL_ENDPOINTS }, async () => {
      for (let target = waiting.shift(); target; target = waiting.shift()) outcomes.set(target.name, await fuzz(target));
    }));

    const failures = [...outcomes].filter(([, outcome]) => outcome.failure).map(([name, outcome]) => `${name}: ${outcome.failure}`);
    expect(failures).toEqual([]);
    for (const [name, outcome] of outcomes) {
      expect({ name, requests: outcome.requests }).toEqual({ name, requests: RUNS });
    }
    console.log(`generated bad input: ${[...outcomes.values()].reduce((sum, o) => sum + o.requests, 0)} requests to ${outcomes.size} endpoints`);
  }, 600_000);

  it('covered every route each service mapped, with every route in its OpenAPI document', () => {
    for (const domain of DOMAINS) {
      const fuzzed = [...outcomes.keys()].filter((name) => name.startsWith(`${domain} `)).map((name) => name.slice(domain.length + 1)).sort();
      const mapped = mappedRoutes(stack.services[domain]).filter((route) => !NO_INPUT.includes(route));
      expect(mapped.length).toBeGreaterThan(0);
      expect({ domain, routes: fuzzed }).toEqual({ domain, routes: mapped });
    }
    const codecFuzzed = [...outcomes.keys()].filter((name) => name.startsWith('codec-server ')).map((name) => name.slice('codec-server '.length)).sort();
    expect({ codec: codecFuzzed }).toEqual({ codec: mappedRoutes(codec.server).filter((route) => !NO_INPUT.includes(route)) });
  });

  it('wrote no row and started or changed no workflow', async () => {
    expect(outcomes.size).toBeGreaterThan(0);
    expect(await settledState()).toEqual(before);
  });
});
