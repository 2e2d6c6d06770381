import { randomBytes } from 'node:crypto';
import { DOMAINS } from '@handoffs/contracts';
import { startE2eStack, type E2eStack, type ServiceProcess } from '@handoffs/testing';
import { FaultStack } from './fault-stack';
import { HandoffDriver } from './handoff-driver';
import { benefitOutcomes, keysNotEnforced, recordedTwice, withDatabase } from './records';

/** Cases of each of the five kinds per fault: 110 handoffs wait on caseworkers when it strikes, 132 in all. */
const CASES_PER_KIND = 22;
const AT_LEAST_IN_FLIGHT = 100;
/** Answers given before the fault strikes, so that it hits handoffs in motion as well as waiting ones. */
const ANSWERS_BEFORE_FAULT = 5;
const STARTED_WITHIN_MS = 90_000;
const HEALTHY_WITHIN_MS = 60_000;
const COMPLETED_WITHIN_MS = 150_000;

interface Fault {
  name: string;
  inflict(): Promise<void>;
}

/**
 * Faults while handoffs are in flight: each service killed (SIGKILL: nothing drains) and started
 * again, the Temporal dev server restarted on its persisted state, PostgreSQL restarted on its data.
 * Before each, a fresh batch of cases of every process is started and is waiting on caseworkers
 * (at least 100 handoffs running); caseworkers (HandoffDriver) are answering through HTTP when the
 * fault strikes and go on answering through it. After each: everything healthy again, every handoff
 * completed, no inbox task, transfer-log row or benefit record twice, and every benefit record at its
 * end. The codec server is left out: it only decodes payloads for the Web UI, no handoff passes it.
 *
 * The Temporal server and PostgreSQL are the test's own (scripts/lib/fault-stack.mjs), not the
 * shared test servers: other suites run on those meanwhile.
 */
describe('handoffs in flight ride out faults of every part', () => {
  let servers: FaultStack;
  let stack: E2eStack;
  let driver: HandoffDriver;

  beforeAll(async () => {
    servers = await FaultStack.start();
    const payloadKeys = process.env.PAYLOAD_ENCRYPTION_KEYS ?? `faults:${randomBytes(32).toString('base64')}`;
    stack = await startE2eStack('faults', {
      servers: { temporalAddress: servers.temporalAddress, databaseUrl: servers.databaseUrl, payloadKeys },
      simulator: true,
      env: {
        SLA_OVERRIDES: JSON.stringify({
          // The re-check is due at once: an answered status clarification runs to its end.
          'status-recheck-lead': '3650 days',
          // The simulator keeps nothing on disk: a consent request it took before it was killed is never
          // answered, and the consent is deemed given after this period (§ 36 Abs. 2 BeschV), shortened.
          'ba-consent': '20 seconds',
        }),
        // Likewise a referral it took before it was killed is sent again after this.
        AGENCY_RESUBMIT_EVERY: '5 seconds',
        AGENCY_ANSWER_DELAY: '500',
        AGENCY_ANSWER_RETRY: '500',
      },
    });
    // This one connection dies with PostgreSQL's restart; the checks open their own.
    stack.db.on('error', () => undefined);
    driver = new HandoffDriver(stack);
    driver.start();
  });

  afterAll(async () => {
    await driver?.stop();
    await stack?.close().catch(() => undefined);
    await servers?.stop();
  });

  const everyPart = (): ServiceProcess[] => [...Object.values(stack.services), stack.simulator!];

  const killed = (part: () => ServiceProcess): Fault['inflict'] => async () => {
    await part().stop('SIGKILL');
    await part().start();
  };
  const FAULTS: Fault[] = [
    ...DOMAINS.map((domain) => ({ name: `${domain} killed and started again`, inflict: killed(() => stack.services[domain]) })),
    { name: 'the agency simulator killed and started again', inflict: killed(() => stack.simulator!) },
    { name: 'the Temporal dev server restarted on its persisted state', inflict: () => servers.restart('temporal') },
    { name: 'PostgreSQL restarted on its data', inflict: () => servers.restart('postgres') },
  ];

  it('has the database hold every natural key unique: unique constraints, not luck', async () => {
    expect(await withDatabase(stack.databaseUrl, keysNotEnforced)).toEqual([]);
  });

  it.each(FAULTS)('$name: every handoff completes, nothing is recorded twice', async (fault) => {
    const progress = stepsOf(fault.name);
    const batch = driver.addBatch(CASES_PER_KIND);
    await until(STARTED_WITHIN_MS, async () => driver.waitingOnCaseworkers(batch), async () => `the batch to start:\n${(await driver.unfinished(batch)).join('\n')}`);

    driver.answering = true;
    const answeredBefore = driver.answered;
    await until(30_000, async () => driver.answered >= answeredBefore + ANSWERS_BEFORE_FAULT, async () => 'caseworkers to begin answering');
    const inFlight = await driver.inFlight();
    progress(`${inFlight} handoffs in flight, caseworkers answering`);
    await fault.inflict();
    progress('fault inflicted');
    expect(inFlight).toBeGreaterThanOrEqual(AT_LEAST_IN_FLIGHT);

    await Promise.all(everyPart().map((part) => part.waitUntilHealthy(HEALTHY_WITHIN_MS)));
    progress('every part healthy');
    await until(
      COMPLETED_WITHIN_MS,
      async () => (await driver.unfinished(batch)).length === 0,
      async () => `every handoff of the batch to complete; unfinished:\n${(await driver.unfinished(batch)).join('\n')}`,
    );
    driver.answering = false;
    progress('every handoff of the batch completed');

    // Every handoff of every case so far has completed, none started twice, none missing.
    expect(await driver.completed()).toBe(driver.journeys.reduce((sum, journey) => sum + journey.handoffIds.length, 0));
    await withDatabase(stack.databaseUrl, async (db) => {
      expect(await recordedTwice(db)).toEqual([]);
      const transfers = batch.filter((journey) => journey.handoffIds[0].startsWith('legal-domain-transfer:'));
      const deportations = batch.filter((journey) => journey.handoffIds[0].startsWith('deportation:'));
      expect(await benefitOutcomes(db, batch.map((journey) => journey.caseRef))).toEqual({
        'AsylbLG ended': transfers.length,
        'SGB II decided': transfers.length,
        // Half the transfers were recognised late: AsylbLG had paid days that SGB II covers.
        'reimbursement claim': CASES_PER_KIND / 2,
        'AsylbLG ended (deportation)': deportations.length,
      });
    });
  });
});

/** Progress of one fault on stderr (jest shows console output only at the end): what happened, seconds since the start. */
function stepsOf(fault: string): (what: string) => void {
  const started = Date.now();
  return (what) => process.stderr.write(`[faults] ${fault}: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

/** Polls `done` until it holds; fails after `timeoutMs` with what it waited for (`what` may look up the details). */
async function until(timeoutMs: number, done: () => Promise<boolean>, what: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await done().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`Waited ${timeoutMs / 1000} s for ${await what().catch((error: Error) => `(${error.message})`)}`);
}
