import fc from 'fast-check';
import {
  activeRegimesOn,
  addDays,
  asylblgEndFor,
  covers,
  daysInclusive,
  doublePaidDays,
  effectiveDateProblems,
  isIsoDate,
  lastAwardDay,
  lastDayOfMonth,
  reimbursementAssertBy,
  ruleSetFor,
  sgb2DecisionProblems,
  sgb2StartFor,
  transferPeriods,
  type PaymentPeriod,
} from './legal-domain-transfer';

const day = (from: string, spanDays: number) => fc.integer({ min: 0, max: spanDays }).map((n) => addDays(from, n));

/** Monthly AsylbLG payments (in advance) from `since` through the end of the month `months` after `lastMonth`. */
function monthlyPayments(since: string, paidThrough: string): PaymentPeriod[] {
  const payments: PaymentPeriod[] = [];
  for (let from = since; from <= paidThrough; from = addDays(lastDayOfMonth(from), 1)) {
    payments.push({ from, to: lastDayOfMonth(from) });
  }
  return payments;
}

const scenario = fc
  .record({
    since: day('2024-01-01', 900),
    servedAfter: fc.integer({ min: 0, max: 400 }),
    effectiveAfter: fc.integer({ min: 0, max: 92 }),
    paidMonthsBeyond: fc.integer({ min: -1, max: 3 }),
    decision: fc.oneof(
      fc.record({ kind: fc.constant('award' as const), months: fc.integer({ min: 1, max: 12 }) }),
      fc.record({ kind: fc.constant('no-need-after-advance' as const), advanceDays: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('no-need' as const) }),
    ),
  })
  .map((s) => {
    const servedOn = addDays(s.since, s.servedAfter);
    const effectiveDate = addDays(servedOn, s.effectiveAfter);
    const asylblgEnd = asylblgEndFor(effectiveDate);
    const sgb2Start = sgb2StartFor(asylblgEnd);
    // Payments reach at least the month before the end (paidMonthsBeyond -1) and at most three months past it.
    let paidThrough = asylblgEnd;
    for (let m = 0; m < Math.abs(s.paidMonthsBeyond); m++) {
      paidThrough = s.paidMonthsBeyond > 0 ? lastDayOfMonth(addDays(paidThrough, 1)) : lastDayOfMonth(addDays(paidThrough.slice(0, 8) + '01', -1));
    }
    if (paidThrough < s.since) paidThrough = lastDayOfMonth(s.since);
    const sgb2 =
      s.decision.kind === 'award'
        ? { basis: 'award' as const, until: lastAwardDay(sgb2Start, s.decision.months) }
        : s.decision.kind === 'no-need-after-advance'
          ? { basis: 'advance' as const, until: addDays(sgb2Start, s.decision.advanceDays) }
          : null;
    return { ...s, servedOn, effectiveDate, asylblgEnd, sgb2Start, payments: monthlyPayments(s.since, paidThrough), sgb2 };
  });

describe('legal-domain transfer rules (P3a)', () => {
  it('ends AsylbLG on a month end and starts SGB II the next day, the first of a month', () => {
    fc.assert(
      fc.property(day('2020-01-01', 4000), (effectiveDate) => {
        const end = asylblgEndFor(effectiveDate);
        expect(isIsoDate(end)).toBe(true);
        expect(end >= effectiveDate).toBe(true);
        expect(end.slice(0, 7)).toBe(effectiveDate.slice(0, 7));
        expect(addDays(end, 1).endsWith('-01')).toBe(true);
        expect(sgb2StartFor(end)).toBe(addDays(end, 1));
        expect(daysInclusive(end, sgb2StartFor(end))).toBe(2);
      }),
    );
  });

  it('keeps at most one regime active per person and day, exactly one while the person is in need', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const periods = transferPeriods({ asylblgSince: s.since, asylblgEnd: s.asylblgEnd, sgb2: s.sgb2 });
        const sgb2 = periods.find((p) => p.regime === 'SGB II');
        if (sgb2) {
          expect(sgb2.from).toBe(addDays(s.asylblgEnd, 1));
        }
        // In need: throughout AsylbLG, and under SGB II for as long as it is awarded or advanced.
        const needUntil = s.sgb2 && s.sgb2.until >= s.sgb2Start ? s.sgb2.until : s.asylblgEnd;
        const horizon = addDays(needUntil, 45);
        for (let d = addDays(s.since, -3); d <= horizon; d = addDays(d, 1)) {
          const active = activeRegimesOn(periods, d);
          expect(active.length).toBeLessThanOrEqual(1);
          const inNeed = d >= s.since && d <= needUntil;
          expect(active.length).toBe(inNeed ? 1 : 0);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('turns exactly the days both carriers paid for into a reimbursement claim, asserted within 12 months', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const sgb2Range = s.sgb2 ? { from: s.sgb2Start, to: s.sgb2.until } : null;
        const claim = doublePaidDays(s.payments, s.asylblgEnd, sgb2Range);
        const paidByAsylblg = (d: string) => d > s.asylblgEnd && s.payments.some((p) => covers(p, d));
        const paidBySgb2 = (d: string) => sgb2Range !== null && covers(sgb2Range, d);
        for (let d = s.asylblgEnd; d <= addDays(s.asylblgEnd, 130); d = addDays(d, 1)) {
          const both = paidByAsylblg(d) && paidBySgb2(d);
          expect(claim !== null && covers(claim, d)).toBe(both);
        }
        if (claim) {
          const assertBy = reimbursementAssertBy(claim);
          expect(assertBy > claim.to).toBe(true);
          expect(daysInclusive(claim.to, assertBy)).toBeLessThanOrEqual(367);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('accepts an award only from the day after AsylbLG ends, and an effective date only on or after service', () => {
    const rules = ruleSetFor('2026-11-24');
    fc.assert(
      fc.property(scenario, fc.integer({ min: -40, max: 40 }), (s, shift) => {
        const from = addDays(s.sgb2Start, shift);
        const problems = sgb2DecisionProblems({ kind: 'award', from, until: lastAwardDay(from, 6) }, s.sgb2Start, rules);
        expect(problems.length === 0).toBe(shift === 0);
        const date = addDays(s.servedOn, shift);
        expect(effectiveDateProblems(date, { kind: 'refugee-status', servedOn: s.servedOn }, rules).length === 0).toBe(shift >= 0);
      }),
    );
    expect(sgb2DecisionProblems({ kind: 'no-need', reason: ' ' }, '2026-12-01', rules)).toEqual(['reason must say why there is no need']);
    expect(effectiveDateProblems('2026-02-30', { kind: 'refugee-status', servedOn: '2026-02-01' }, rules)).toHaveLength(1);
    expect(reimbursementAssertBy({ from: '2028-02-01', to: '2028-02-29' })).toBe('2029-02-28');
  });
});
