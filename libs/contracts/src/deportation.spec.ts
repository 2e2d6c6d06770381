import fc from 'fast-check';
import {
  DEPORTATION_FLOWS,
  DEPORTATION_STAGES,
  FINAL_DEPORTATION_STAGES,
  NIGHT_OVERRIDE_REASONS,
  benefitEndDay,
  concernDecisionProblems,
  dateVisibleToSocialWorker,
  isNightTime,
  nextDeportationStage,
  nightOperationAllowed,
  participationDueAt,
  participationProblems,
  roundKind,
  scheduleProblems,
  socialWorkerDateWindow,
  type DeportationEvent,
  type DeportationStage,
} from './deportation';
import { handoffWorkflowId } from './case-ref';

const HOUR_MS = 3_600_000;
const EVENTS: DeportationEvent[] = ['ask-participation', 'no-concern', 'concern', 'proceed', 'postpone', 'schedule', 'execute', 'suspend', 'abort'];

const instants = fc
  .integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2030-12-31T23:59:59Z') })
  .map((ms) => new Date(ms).toISOString());
const childrenAges = fc.array(fc.integer({ min: 0, max: 17 }), { minLength: 1, maxLength: 8 });

/** An independent reading of the local hour and day, through the platform's own time-zone data. */
function berlinHour(instant: string): number {
  return Number(new Date(instant).toLocaleString('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hourCycle: 'h23' }));
}
function berlinDay(instant: string): string {
  return new Date(instant).toLocaleDateString('en-CA', { timeZone: 'Europe/Berlin' });
}

describe('deportation invariants (property-based)', () => {
  it('no night operation for a family with a child under 14 without a logged override', () => {
    fc.assert(
      fc.property(instants, childrenAges, fc.option(fc.constantFrom(...NIGHT_OVERRIDE_REASONS), { nil: undefined }), (plannedAt, ages, reason) => {
        const hour = berlinHour(plannedAt);
        const night = hour >= 21 || hour < 6;
        const override = reason ? { reason } : null;
        expect(isNightTime(plannedAt)).toBe(night);
        const allowed = nightOperationAllowed(plannedAt, ages, override);
        expect(allowed).toBe(!night || ages.every((age) => age >= 14) || override !== null);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses to schedule at night without an override exactly when the rule forbids it', () => {
    const now = Date.parse('2023-06-01T00:00:00Z');
    fc.assert(
      fc.property(instants, childrenAges, (plannedAt, ages) => {
        const problems = scheduleProblems({ actor: { domain: 'immigration', caseworkerId: 'abh.x' }, plannedAt }, ages, now);
        expect(problems.length === 0).toBe(nightOperationAllowed(plannedAt, ages, null));
        expect(scheduleProblems({ actor: { domain: 'immigration', caseworkerId: 'abh.x' }, plannedAt, nightOverride: { reason: 'otherwise-frustrated' } }, ages, now)).toEqual([]);
      }),
    );
  });

  it('never reaches EXECUTED without a recorded participation in the current round and a date after it', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...EVENTS), { maxLength: 40 }), (events) => {
        let stage: DeportationStage = 'REVIEW';
        const accepted: DeportationEvent[] = [];
        for (const event of events) {
          const next = nextDeportationStage(stage, event);
          if (FINAL_DEPORTATION_STAGES.includes(stage)) {
            expect(next).toBeNull();
          }
          if (!next) continue;
          accepted.push(event);
          stage = next;
          if (stage === 'EXECUTED') {
            const lastRound = Math.max(...(['ask-participation', 'postpone', 'no-concern', 'concern'] as const).map((e) => accepted.lastIndexOf(e)));
            expect(['no-concern', 'concern']).toContain(accepted[lastRound]);
            expect(accepted.indexOf('schedule', lastRound)).toBeGreaterThan(lastRound);
            if (accepted[lastRound] === 'concern') {
              // A concern is only ever overcome by the immigration office's `proceed`.
              expect(accepted.indexOf('proceed', lastRound)).toBeGreaterThan(lastRound);
            }
          }
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('can stop from every open stage and from no closed one', () => {
    for (const stage of DEPORTATION_STAGES) {
      const open = !FINAL_DEPORTATION_STAGES.includes(stage);
      expect(nextDeportationStage(stage, 'suspend') !== null).toBe(open);
      expect(nextDeportationStage(stage, 'abort') !== null).toBe(open);
    }
  });

  it('ends AsylbLG benefits on the local day of departure, never another day', () => {
    fc.assert(
      fc.property(instants, (departedAt) => {
        const endsOn = benefitEndDay(departedAt);
        expect(endsOn).toBe(berlinDay(departedAt));
        const utcDay = departedAt.slice(0, 10);
        const shift = (Date.parse(endsOn) - Date.parse(utcDay)) / (24 * HOUR_MS);
        expect([0, 1]).toContain(shift);
      }),
      { numRuns: 2000 },
    );
  });

  it('shows the date to the assigned social worker only from 72 hours before until 24 hours after', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: -200 * HOUR_MS, max: 200 * HOUR_MS }), (plannedAt, offset) => {
        const now = Date.parse(plannedAt) + offset;
        expect(dateVisibleToSocialWorker(now, socialWorkerDateWindow(plannedAt))).toBe(offset >= -72 * HOUR_MS && offset <= 24 * HOUR_MS);
      }),
    );
  });

  it('makes the participation due before the planned day', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 1, max: 60 * 24 * HOUR_MS }), fc.integer({ min: 1, max: 90 }), (now, within, daysAhead) => {
        const plannedDate = new Date(Date.parse(now) + daysAhead * 24 * HOUR_MS).toISOString().slice(0, 10);
        const due = participationDueAt(Date.parse(now), within, plannedDate);
        expect(due).toBeLessThanOrEqual(Date.parse(`${plannedDate}T00:00:00Z`));
        expect(due).toBeLessThanOrEqual(Date.parse(now) + within);
      }),
    );
  });

  it('gives every round of a task its own inbox kind', () => {
    const kinds = Array.from({ length: 800 }, (_, i) => roundKind('child-protection', i + 1));
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds.slice(0, 3)).toEqual(['child-protection', 'child-protection-b', 'child-protection-c']);
    for (const kind of kinds) expect(kind).toMatch(/^[a-z][a-z-]{1,63}$/);
  });
});

describe('deportation decisions', () => {
  it('need a reason for a concern and none without', () => {
    const base = { taskId: 't', actor: { domain: 'social-services' as const, caseworkerId: 'ksd.x' } };
    expect(participationProblems({ ...base, finding: 'concern' })).toHaveLength(1);
    expect(participationProblems({ ...base, finding: 'concern', concernReason: 'medical-needs' })).toEqual([]);
    expect(participationProblems({ ...base, finding: 'no-concern', concernReason: 'medical-needs' })).toHaveLength(1);
  });

  it('postpone only to a later day, cancel only with a reason', () => {
    const base = { taskId: 't', actor: { domain: 'immigration' as const, caseworkerId: 'abh.x' } };
    expect(concernDecisionProblems({ ...base, decision: 'postpone', plannedDate: '2026-12-01' }, '2026-12-10')).toHaveLength(1);
    expect(concernDecisionProblems({ ...base, decision: 'postpone', plannedDate: '2026-12-20' }, '2026-12-10')).toEqual([]);
    expect(concernDecisionProblems({ ...base, decision: 'cancel' }, '2026-12-10')).toHaveLength(1);
    expect(concernDecisionProblems({ ...base, decision: 'cancel', cancellationReason: 'child-welfare' }, '2026-12-10')).toEqual([]);
    expect(concernDecisionProblems({ ...base, decision: 'proceed', cancellationReason: 'child-welfare' }, '2026-12-10')).toHaveLength(1);
  });

  it('register every flow with a legal basis, and the process in workflow IDs', () => {
    for (const flow of Object.values(DEPORTATION_FLOWS)) {
      expect(flow.id).toMatch(/^P2-/);
      expect(flow.legalBasis).toMatch(/\S/);
    }
    expect(handoffWorkflowId('deportation', 'ABH-2026-000042')).toBe('deportation:ABH-2026-000042');
  });
});
