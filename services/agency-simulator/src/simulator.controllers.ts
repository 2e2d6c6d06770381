import { Controller, Get, Inject } from '@nestjs/common';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import {
  AGENCY_PROGRAMMES,
  AGENCY_TRANSPORT_PATTERNS,
  BA_CUSTOMER_NUMBER_PATTERN,
  CASE_REF_PATTERN,
  LANGUAGE_LEVELS,
  type AgencyConsentReceipt,
  type AgencyConsentRequest,
  type AgencyReceipt,
  type AgencyReferral,
} from '@handoffs/contracts';
import { AgencyDesk } from './agency-desk';
import { ConsentDesk } from './consent-desk';
import { SIMULATOR_SETTINGS, type SimulatorSettings } from './settings';

/** Reasons a message is not a referral the agency can take (empty when it is). */
export function referralProblems(referral: Partial<AgencyReferral> | undefined): string[] {
  const r = referral ?? {};
  const problems: string[] = [];
  if (typeof r.referralId !== 'string' || r.referralId.length < 8) problems.push('referralId');
  if (!Number.isInteger(r.round) || (r.round as number) < 1) problems.push('round');
  if (typeof r.caseRef !== 'string' || !CASE_REF_PATTERN.test(r.caseRef)) problems.push('caseRef');
  if (!(AGENCY_PROGRAMMES as readonly string[]).includes(r.programme as string)) problems.push('programme');
  if (typeof r.workPermission !== 'string') problems.push('workPermission');
  if (r.languageLevel !== undefined && !(LANGUAGE_LEVELS as readonly string[]).includes(r.languageLevel)) problems.push('languageLevel');
  const s = r.subject;
  if (!s || !BA_CUSTOMER_NUMBER_PATTERN.test(String(s.baCustomerNumber)) || !/^\d{4}-\d{2}-\d{2}$/.test(String(s.dateOfBirth))) {
    problems.push('subject');
  }
  return problems;
}

/** The agency's intake on the transport: every referral gets a receipt at once, the decision later. */
@Controller()
export class ReferralIntakeController {
  constructor(private readonly desk: AgencyDesk) {}

  @MessagePattern(AGENCY_TRANSPORT_PATTERNS.submitReferral)
  submit(@Payload() referral: AgencyReferral): AgencyReceipt {
    const problems = referralProblems(referral);
    if (problems.length > 0) {
      throw new RpcException({ status: 'invalid', problems });
    }
    if (this.desk.failsIntakeFor(referral.programme)) {
      throw new RpcException({ status: 'error', message: `The intake of programme ${referral.programme} is out of order` });
    }
    return this.desk.submit(referral);
  }
}

/** Reasons a message is not a consent request the agency can take (empty when it is). */
export function consentRequestProblems(request: Partial<AgencyConsentRequest> | undefined): string[] {
  const r = request ?? {};
  const problems: string[] = [];
  if (typeof r.consentRequestId !== 'string' || r.consentRequestId.length < 8) problems.push('consentRequestId');
  if (typeof r.caseRef !== 'string' || !CASE_REF_PATTERN.test(r.caseRef)) problems.push('caseRef');
  if (typeof r.residenceDocument !== 'string' || typeof r.legalBasis !== 'string') problems.push('residence title');
  const s = r.subject;
  if (!s || typeof s.familyName !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(String(s.dateOfBirth))) problems.push('subject');
  const job = r.plannedEmployment;
  if (
    !job ||
    typeof job.employer !== 'string' ||
    typeof job.occupation !== 'string' ||
    typeof job.hoursPerWeek !== 'number' ||
    typeof job.grossMonthlyWage !== 'number' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(String(job.startDate))
  ) {
    problems.push('plannedEmployment');
  }
  return problems;
}

/** The agency's intake for consent requests (§ 39 AufenthG): a receipt at once, the answer later, or never. */
@Controller()
export class ConsentIntakeController {
  constructor(private readonly desk: ConsentDesk) {}

  @MessagePattern(AGENCY_TRANSPORT_PATTERNS.requestConsent)
  request(@Payload() request: AgencyConsentRequest): AgencyConsentReceipt {
    const problems = consentRequestProblems(request);
    if (problems.length > 0) {
      throw new RpcException({ status: 'invalid', problems });
    }
    return this.desk.request(request);
  }
}

@Controller('health')
export class SimulatorHealthController {
  constructor(
    private readonly desk: AgencyDesk,
    private readonly consentDesk: ConsentDesk,
    @Inject(SIMULATOR_SETTINGS) private readonly settings: SimulatorSettings,
  ) {}

  @Get()
  health(): { status: 'ok'; transportPort: number; answerDelayMs: number; unacknowledgedAnswers: number } {
    return { status: 'ok', transportPort: this.settings.transportPort, answerDelayMs: this.settings.answerDelayMs, unacknowledgedAnswers: this.desk.pending + this.consentDesk.pending };
  }
}
