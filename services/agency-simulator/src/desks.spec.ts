import { Controller, Logger, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload, RpcException, Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { AGENCY_TRANSPORT_PATTERNS } from '@handoffs/contracts';
import { eventually, freePort } from '@handoffs/testing';
import { AgencyDesk } from './agency-desk';
import { CONSENT_DESK_STAFF_ID, ConsentDesk } from './consent-desk';
import { SAMPLE_CONSENT_REQUEST, SAMPLE_REFERRAL } from './sample-requests';
import { simulatorSettings, type SimulatorSettings } from './settings';

/** What the fake gateway was sent, and how many answers it refuses before it takes one. */
const gateway = { received: [] as { pattern: string; answer: Record<string, unknown> }[], refusals: 0 };

@Controller()
class FakeGateway {
  @MessagePattern(AGENCY_TRANSPORT_PATTERNS.answer)
  referralAnswer(@Payload() answer: Record<string, unknown>): { received: true } {
    return this.take(AGENCY_TRANSPORT_PATTERNS.answer, answer);
  }

  @MessagePattern(AGENCY_TRANSPORT_PATTERNS.consentAnswer)
  consentAnswer(@Payload() answer: Record<string, unknown>): { received: true } {
    return this.take(AGENCY_TRANSPORT_PATTERNS.consentAnswer, answer);
  }

  private take(pattern: string, answer: Record<string, unknown>): { received: true } {
    gateway.received.push({ pattern, answer });
    if (gateway.refusals > 0) {
      gateway.refusals -= 1;
      throw new RpcException({ status: 'error', message: 'not now' });
    }
    return { received: true };
  }
}

@Module({ controllers: [FakeGateway] })
class FakeGatewayModule {}

const sentTo = (pattern: string) => gateway.received.filter((r) => r.pattern === pattern).map((r) => r.answer);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The simulated agency's two desks against a fake gateway on the real TCP transport. */
describe("the simulated agency's desks", () => {
  let fake: INestMicroservice;
  let settings: SimulatorSettings;
  let desks: { referrals: AgencyDesk; consent: ConsentDesk }[] = [];

  function opened(): { referrals: AgencyDesk; consent: ConsentDesk } {
    const opened = { referrals: new AgencyDesk(settings), consent: new ConsentDesk(settings) };
    desks.push(opened);
    return opened;
  }

  beforeAll(async () => {
    Logger.overrideLogger(false);
    const port = await freePort();
    settings = simulatorSettings({
      AGENCY_GATEWAY_ADDRESS: `127.0.0.1:${port}`,
      AGENCY_ANSWER_DELAY: '100',
      AGENCY_ANSWER_RETRY: '50',
      AGENCY_SILENT_PROGRAMMES: 'career-guidance',
    });
    fake = await NestFactory.createMicroservice<MicroserviceOptions>(FakeGatewayModule, {
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port },
      logger: false,
    });
    await fake.listen();
  });

  afterEach(() => {
    for (const { referrals, consent } of desks) {
      referrals.onApplicationShutdown();
      consent.onApplicationShutdown();
    }
    desks = [];
    gateway.received = [];
    gateway.refusals = 0;
  });

  afterAll(() => fake?.close());

  it('gives a receipt at once, decides after the delay, and sends the answer until the gateway acknowledges it', async () => {
    const { referrals } = opened();
    gateway.refusals = 2;
    expect(referrals.submit(SAMPLE_REFERRAL)).toMatchObject({ referralId: SAMPLE_REFERRAL.referralId, round: 1 });
    expect([referrals.pending, sentTo(AGENCY_TRANSPORT_PATTERNS.answer)]).toEqual([1, []]);

    await eventually(async () => (referrals.pending === 0 ? true : undefined), 5000, 'the acknowledged answer');
    const sent = sentTo(AGENCY_TRANSPORT_PATTERNS.answer);
    expect(sent).toHaveLength(3);
    expect(sent[2]).toEqual(sent[0]);
    expect(sent[2]).toMatchObject({ referralId: SAMPLE_REFERRAL.referralId, round: 1, decision: { outcome: 'ACCEPTED' } });
  });

  it('treats a repeated request as the same one: one decision, the same answer sent again', async () => {
    const { consent } = opened();
    consent.request(SAMPLE_CONSENT_REQUEST);
    consent.request(SAMPLE_CONSENT_REQUEST);
    await eventually(async () => (sentTo(AGENCY_TRANSPORT_PATTERNS.consentAnswer).length === 1 ? true : undefined), 5000, 'the answer');
    consent.request(SAMPLE_CONSENT_REQUEST);
    await eventually(async () => (sentTo(AGENCY_TRANSPORT_PATTERNS.consentAnswer).length === 2 ? true : undefined), 5000, 'the answer again');
    const [first, again] = sentTo(AGENCY_TRANSPORT_PATTERNS.consentAnswer);
    expect(again).toEqual(first);
    expect(first).toMatchObject({ consentRequestId: SAMPLE_CONSENT_REQUEST.consentRequestId, outcome: 'CONSENT', decidedBy: CONSENT_DESK_STAFF_ID });
  });

  it('stays silent where it is set up to: a referral counts as pending, a consent request left to lapse does not', async () => {
    const { referrals, consent } = opened();
    referrals.submit({ ...SAMPLE_REFERRAL, programme: 'career-guidance' });
    consent.request({ ...SAMPLE_CONSENT_REQUEST, plannedEmployment: { ...SAMPLE_CONSENT_REQUEST.plannedEmployment, employer: 'Schweigen & Söhne KG' } });
    await pause(400);
    expect(gateway.received).toEqual([]);
    expect([referrals.pending, referrals.unanswered]).toEqual([1, 1]);
    expect([consent.pending, consent.unanswered]).toEqual([0, 1]);
  });

  it('decides nothing more once shut down: its timers are cleared', async () => {
    const { referrals, consent } = opened();
    referrals.submit(SAMPLE_REFERRAL);
    consent.request(SAMPLE_CONSENT_REQUEST);
    referrals.onApplicationShutdown();
    consent.onApplicationShutdown();
    await pause(400);
    expect(gateway.received).toEqual([]);
  });
});
