import { ApplicationFailure } from '@temporalio/common';
import { AGENCY_SYSTEM_ERROR, AGENCY_UNREACHABLE } from '@handoffs/contracts';
import { agencySendFailure } from './agency-link';

describe('a failed send to the agency', () => {
  it('is AgencyUnreachable when the agency cannot be reached, so the handoff counts as external-silent', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4100'), { code: 'ECONNREFUSED' });
    const failure = agencySendFailure('referral r-1 round 1', refused);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect([failure.type, failure.nonRetryable]).toEqual([AGENCY_UNREACHABLE, false]);
    expect(failure.message).toBe("The agency's system did not take referral r-1 round 1: connect ECONNREFUSED 127.0.0.1:4100");
    const timedOut = Object.assign(Object.create(null) as object, { name: 'TimeoutError', message: 'Timeout has occurred' });
    expect(agencySendFailure('referral r-1 round 1', timedOut).type).toBe(AGENCY_UNREACHABLE);
  });

  it('is AgencySystemError when the agency answers with an error, so the step counts as failing', () => {
    const failure = agencySendFailure('referral r-1 round 1', { status: 'error', message: 'The intake of programme rehabilitation is out of order' });
    expect([failure.type, failure.nonRetryable]).toEqual([AGENCY_SYSTEM_ERROR, false]);
    expect(failure.message).toContain('answered referral r-1 round 1 with an error: The intake of programme rehabilitation is out of order');
  });
});
