import { Body, Controller, Get, HttpStatus, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import {
  CASE_REF_PATTERN,
  handoffWorkflowId,
  isIsoDate,
  LEGAL_DOMAIN_TRANSFER_TASKS,
  type Actor,
} from '@handoffs/contracts';
import { CompletesTask, Handoffs, StartsHandoff, requestFingerprint, taskIdPipe, type HandoffStart } from '@handoffs/handoff-records';
import { invalidRequest } from '@handoffs/service-kit';
import { confirmEffectiveDate, legalDomainTransferWorkflow } from '@handoffs/workflows/messages';
import { AsylbLGBenefit } from './asylblg-benefit.entity';
import {
  AsylbLGBenefitView,
  ConfirmEffectiveDateDto,
  EffectiveDateConfirmedView,
  ReportRecognitionDto,
} from './legal-domain-transfer.dto';

function view(benefit: AsylbLGBenefit): AsylbLGBenefitView {
  return {
    caseRef: benefit.caseRef,
    handoffId: benefit.workflowId,
    state: benefit.state,
    recognition: benefit.recognition,
    since: benefit.since,
    endsOn: benefit.endsOn,
    payments: benefit.payments,
    termination: benefit.termination,
    reimbursement: benefit.reimbursement,
  };
}

function fingerprint(report: ReportRecognitionDto): string {
  const { recognition, asylblg } = report;
  return requestFingerprint([recognition.kind, recognition.servedOn, asylblg.since, asylblg.payments.map((p) => [p.from, p.to])]);
}

/** What class-validator cannot see: dates that do not exist, periods that end before they start. */
function reportProblems(report: ReportRecognitionDto): { field: string; problems: string[] }[] {
  const problems: { field: string; problems: string[] }[] = [];
  const dates: [string, string][] = [
    ['recognition.servedOn', report.recognition.servedOn],
    ['asylblg.since', report.asylblg.since],
  ];
  for (const [field, value] of dates) {
    if (!isIsoDate(value)) problems.push({ field, problems: [`${field} is not a calendar date`] });
  }
  report.asylblg.payments.forEach((payment, index) => {
    if (!isIsoDate(payment.from) || !isIsoDate(payment.to) || payment.to < payment.from || payment.from < report.asylblg.since) {
      problems.push({ field: `asylblg.payments.${index}`, problems: ['a payment period runs from a date on or after since to a date on or after from'] });
    }
  });
  return problems;
}

@ApiTags('legal-domain transfer')
@Controller()
export class LegalDomainTransferController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly handoffs: Handoffs,
  ) {}

  /**
   * A social-services caseworker reports that a person on AsylbLG has been recognised (or granted a
   * title that ends AsylbLG). The report is kept first; then the transfer to SGB II starts, owned by
   * the job centre.
   */
  @StartsHandoff('legal-domain-transfers', { type: AsylbLGBenefitView, what: 'recognition report' })
  async report(@Body() report: ReportRecognitionDto, @Res() reply: FastifyReply): Promise<void> {
    const problems = reportProblems(report);
    if (problems.length > 0) {
      throw invalidRequest(problems);
    }
    const { record, created } = await this.handoffs.recordAndStart({
      entity: AsylbLGBenefit,
      row: {
        caseRef: report.caseRef,
        workflowId: handoffWorkflowId('legal-domain-transfer', report.caseRef),
        recognition: { kind: report.recognition.kind, servedOn: report.recognition.servedOn },
        reportedBy: { domain: 'social-services', caseworkerId: report.caseworkerId },
        reportedAt: new Date(),
        requestFingerprint: fingerprint(report),
        since: report.asylblg.since,
        payments: report.asylblg.payments.map((p) => ({ from: p.from, to: p.to })),
        state: 'running',
      },
      what: 'recognition report',
      view,
      handoff: (benefit) => this.handoff(benefit),
    });
    void reply.status(created ? HttpStatus.ACCEPTED : HttpStatus.OK).send(view(record));
  }

  @Get('legal-domain-transfers/:caseRef')
  @ApiOkResponse({ type: AsylbLGBenefitView, description: "Social services' side: the AsylbLG period, its end and any reimbursement claim" })
  @ApiNotFoundResponse({ description: 'No legal-domain transfer for this case reference' })
  async get(@Param('caseRef') caseRef: string): Promise<AsylbLGBenefitView> {
    const benefit = CASE_REF_PATTERN.test(caseRef) ? await this.dataSource.getRepository(AsylbLGBenefit).findOneBy({ caseRef }) : null;
    if (!benefit) {
      throw new NotFoundException(`No legal-domain transfer for case ${caseRef.slice(0, 40)}`);
    }
    return view(benefit);
  }

  /** A social-services caseworker confirms from their inbox when the AsylbLG entitlement lapses. */
  @CompletesTask('effective-date', { type: EffectiveDateConfirmedView, what: 'decision' })
  async confirm(@Param('taskId', taskIdPipe()) taskId: string, @Body() body: ConfirmEffectiveDateDto): Promise<EffectiveDateConfirmedView> {
    const decidedBy: Actor = { domain: 'social-services', caseworkerId: body.caseworkerId };
    const { task, result } = await this.handoffs.completeTask({
      taskId,
      task: { name: 'effective-date task', kind: LEGAL_DOMAIN_TRANSFER_TASKS.effectiveDate },
      actor: decidedBy,
      update: confirmEffectiveDate,
      args: () => [{ taskId, decidedBy, effectiveDate: body.effectiveDate }],
      conflicts: ['AlreadyDecided', 'NotAwaitingDecision'],
    });
    return { taskId, caseRef: task.caseRef, ...result };
  }

  /** How the reported transfer starts: on the job centre's queue, which owns it. */
  private handoff(benefit: AsylbLGBenefit): HandoffStart<typeof legalDomainTransferWorkflow> {
    const reportedAt = benefit.reportedAt.toISOString();
    return {
      workflow: legalDomainTransferWorkflow,
      owner: 'job-centre',
      input: {
        caseRef: benefit.caseRef,
        reportedBy: benefit.reportedBy,
        reportedAt,
        recognition: benefit.recognition,
        confirmWithin: this.handoffs.dueWithin('effective-date-confirmation', reportedAt),
        decideWithin: this.handoffs.dueWithin('sgb-ii-decision', reportedAt),
      },
      staticSummary: `Legal-domain transfer ${benefit.caseRef}: AsylbLG → SGB II after recognition`,
    };
  }
}
