import { createHash } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  Post,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import {
  CASE_REF_PATTERN,
  handoffWorkflowId,
  isIsoDate,
  slaFor,
  taskQueueOf,
  type Actor,
  type LegalDomainTransferInput,
} from '@handoffs/contracts';
import { InboxTask, inboxTaskView, recordedCompletion, taskIdPipe } from '@handoffs/handoff-records';
import { conflictWith, invalidRequest, SERVICE_CONFIG, updateRefusal, type ServiceConfig } from '@handoffs/service-kit';
import { TemporalWorkerHost } from '@handoffs/temporal';
import { confirmEffectiveDate, legalDomainTransferWorkflow, type LegalDomainTransferWorkflow } from '@handoffs/workflows/messages';
import { AsylbLGBenefit } from './asylblg-benefit.entity';
import {
  AsylbLGBenefitView,
  ConfirmEffectiveDateDto,
  EffectiveDateConfirmedView,
  ReportRecognitionDto,
} from './legal-domain-transfer.dto';

const EFFECTIVE_DATE_TASK = 'effective-date-confirmation';

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
  const canonical = JSON.stringify([recognition.kind, recognition.servedOn, asylblg.since, asylblg.payments.map((p) => [p.from, p.to])]);
  return createHash('sha256').update(canonical).digest('hex');
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
    private readonly temporal: TemporalWorkerHost,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /**
   * A social-services caseworker reports that a person on AsylbLG has been recognised (or granted a
   * title that ends AsylbLG). The report is kept first; then the transfer to SGB II starts, owned by
   * the job centre.
   */
  @Post('legal-domain-transfers')
  @ApiAcceptedResponse({ type: AsylbLGBenefitView, description: 'Transfer started' })
  @ApiOkResponse({ type: AsylbLGBenefitView, description: 'The same report again: the existing transfer' })
  @ApiBadRequestResponse({ description: 'Invalid report (application/problem+json naming each bad field)' })
  @ApiConflictResponse({ description: 'A different report exists for this case reference' })
  async report(@Body() report: ReportRecognitionDto, @Res() reply: FastifyReply): Promise<void> {
    const problems = reportProblems(report);
    if (problems.length > 0) {
      throw invalidRequest(problems);
    }
    const repository = this.dataSource.getRepository(AsylbLGBenefit);
    const requestFingerprint = fingerprint(report);
    const inserted = await repository
      .createQueryBuilder()
      .insert()
      .values({
        caseRef: report.caseRef,
        workflowId: handoffWorkflowId('legal-domain-transfer', report.caseRef),
        recognition: { kind: report.recognition.kind, servedOn: report.recognition.servedOn },
        reportedBy: { domain: 'social-services', caseworkerId: report.caseworkerId },
        reportedAt: new Date(),
        requestFingerprint,
        since: report.asylblg.since,
        payments: report.asylblg.payments.map((p) => ({ from: p.from, to: p.to })),
        state: 'running',
      })
      .orIgnore()
      .returning(['caseRef'])
      .execute();
    const benefit = await repository.findOneByOrFail({ caseRef: report.caseRef });
    if (benefit.requestFingerprint !== requestFingerprint) {
      throw conflictWith(`A different recognition report is already recorded for ${benefit.caseRef}`, { recorded: view(benefit) });
    }
    await this.startTransfer(benefit);
    void reply.status(inserted.raw.length > 0 ? HttpStatus.ACCEPTED : HttpStatus.OK).send(view(benefit));
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
  @Post('inbox/tasks/:taskId/effective-date')
  @HttpCode(200)
  @ApiOkResponse({ type: EffectiveDateConfirmedView })
  @ApiBadRequestResponse({ description: 'Invalid decision, with the reason (application/problem+json)' })
  @ApiNotFoundResponse({ description: 'No effective-date task with this ID' })
  @ApiConflictResponse({ description: 'Already confirmed; the body carries the recorded decision' })
  async confirm(
    @Param('taskId', taskIdPipe()) taskId: string,
    @Body() body: ConfirmEffectiveDateDto,
  ): Promise<EffectiveDateConfirmedView> {
    const tasks = this.dataSource.getRepository(InboxTask);
    const task = await tasks.findOneBy({ id: taskId, kind: EFFECTIVE_DATE_TASK });
    if (!task) {
      throw new NotFoundException(`No effective-date task ${taskId}`);
    }
    if (task.state !== 'open') {
      throw conflictWith(`Effective-date task ${taskId} is already decided`, { recorded: inboxTaskView(task) });
    }
    const decidedBy: Actor = { domain: 'social-services', caseworkerId: body.caseworkerId };
    let confirmed;
    try {
      confirmed = await this.temporal.temporalClient.workflow
        .getHandle(task.workflowId)
        .executeUpdate(confirmEffectiveDate, { args: [{ taskId, decidedBy, effectiveDate: body.effectiveDate }] });
    } catch (error) {
      const refusal = updateRefusal(error, ['AlreadyDecided', 'NotAwaitingDecision']);
      if (refusal instanceof HttpException && refusal.getStatus() === HttpStatus.CONFLICT) {
        const recorded = await recordedCompletion(this.dataSource, taskId);
        throw conflictWith(`Effective-date task ${taskId} is already decided`, { recorded: recorded ? inboxTaskView(recorded) : { taskId } });
      }
      throw refusal;
    }
    await tasks
      .createQueryBuilder()
      .update()
      .set({ state: 'completed', completedBy: decidedBy, resolution: confirmed, closedAt: new Date(confirmed.decidedAt) })
      .where('id = :taskId AND state = :open', { taskId, open: 'open' })
      .execute();
    return { taskId, caseRef: task.caseRef, ...confirmed };
  }


  /** Starts the workflow on the job centre's queue, or finds it running or closed: one transfer per case. */
  private async startTransfer(benefit: AsylbLGBenefit): Promise<void> {
    const reportedAt = benefit.reportedAt.toISOString();
    const input: LegalDomainTransferInput = {
      steps: this.config.stepPolicy,
      caseRef: benefit.caseRef,
      reportedBy: benefit.reportedBy,
      reportedAt,
      recognition: benefit.recognition,
      confirmWithin: slaFor('effective-date-confirmation', reportedAt, this.config.slaOverrides),
      decideWithin: slaFor('sgb-ii-decision', reportedAt, this.config.slaOverrides),
    };
    try {
      await this.temporal.temporalClient.workflow.start<LegalDomainTransferWorkflow>(legalDomainTransferWorkflow, {
        workflowId: benefit.workflowId,
        taskQueue: taskQueueOf('job-centre'),
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        staticSummary: `Legal-domain transfer ${benefit.caseRef}: AsylbLG → SGB II after recognition`,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
        throw error;
      }
    }
  }
}
