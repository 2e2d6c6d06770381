import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CASE_REF_PATTERN, type Actor, type Sgb2ApplicationDecision } from '@handoffs/contracts';
import { InboxTask, inboxTaskView, recordedCompletion, taskIdPipe } from '@handoffs/handoff-records';
import { conflictWith, updateRefusal } from '@handoffs/service-kit';
import { TemporalWorkerHost } from '@handoffs/temporal';
import { decideSgb2Application } from '@handoffs/workflows/messages';
import { DecideSgb2ApplicationDto, Sgb2ApplicationView, Sgb2DecidedView } from './legal-domain-transfer.dto';
import { ReimbursementClaim, Sgb2Application } from './sgb2-application.entity';

const SGB2_DECISION_TASK = 'sgb-ii-decision';

function view(application: Sgb2Application, claim: ReimbursementClaim | null): Sgb2ApplicationView {
  return {
    caseRef: application.caseRef,
    handoffId: application.workflowId,
    state: application.state,
    outcome: application.outcome,
    asylblgEnd: application.asylblgEnd,
    startsOn: application.startsOn,
    filedOn: application.filedOn,
    advance: application.advance,
    decision: application.decision,
    awardFrom: application.awardFrom,
    awardUntil: application.awardUntil,
    decidedBy: application.decidedBy,
    decidedAt: application.decidedAt?.toISOString() ?? null,
    ruleSetVersion: application.ruleSetVersion,
    reimbursementClaim: claim && {
      claimant: claim.claimant,
      from: claim.daysFrom,
      to: claim.daysTo,
      days: claim.dayCount,
      assertBy: claim.assertBy,
      legalBasis: claim.legalBasis,
    },
  };
}

@ApiTags('legal-domain transfer')
@Controller()
export class LegalDomainTransferController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalWorkerHost,
  ) {}

  @Get('sgb2-applications/:caseRef')
  @ApiOkResponse({ type: Sgb2ApplicationView, description: "The job centre's side: SGB II start, advance, decision, reimbursement claim" })
  @ApiNotFoundResponse({ description: 'No SGB II application from a legal-domain transfer for this case reference' })
  async get(@Param('caseRef') caseRef: string): Promise<Sgb2ApplicationView> {
    const application = CASE_REF_PATTERN.test(caseRef)
      ? await this.dataSource.getRepository(Sgb2Application).findOneBy({ caseRef })
      : null;
    if (!application) {
      throw new NotFoundException(`No SGB II application for case ${caseRef.slice(0, 40)}`);
    }
    const claim = await this.dataSource.getRepository(ReimbursementClaim).findOneBy({ workflowId: application.workflowId });
    return view(application, claim);
  }

  /** A job-centre caseworker decides the SGB II application from their inbox: award from the start day, or no need. */
  @Post('inbox/tasks/:taskId/sgb-ii-decision')
  @HttpCode(200)
  @ApiOkResponse({ type: Sgb2DecidedView })
  @ApiBadRequestResponse({ description: 'Invalid decision, with the reason (application/problem+json)' })
  @ApiNotFoundResponse({ description: 'No SGB II decision task with this ID' })
  @ApiConflictResponse({ description: 'Already decided; the body carries the recorded decision' })
  async decide(
    @Param('taskId', taskIdPipe()) taskId: string,
    @Body() body: DecideSgb2ApplicationDto,
  ): Promise<Sgb2DecidedView> {
    const tasks = this.dataSource.getRepository(InboxTask);
    const task = await tasks.findOneBy({ id: taskId, kind: SGB2_DECISION_TASK });
    if (!task) {
      throw new NotFoundException(`No SGB II decision task ${taskId}`);
    }
    if (task.state !== 'open') {
      throw conflictWith(`SGB II decision task ${taskId} is already decided`, { recorded: inboxTaskView(task) });
    }
    const decidedBy: Actor = { domain: 'job-centre', caseworkerId: body.caseworkerId };
    const decision: Sgb2ApplicationDecision =
      body.decision.kind === 'award'
        ? { kind: 'award', from: body.decision.from ?? '', until: body.decision.until ?? '' }
        : { kind: 'no-need', reason: body.decision.reason ?? '' };
    let decided;
    try {
      decided = await this.temporal.temporalClient.workflow
        .getHandle(task.workflowId)
        .executeUpdate(decideSgb2Application, { args: [{ taskId, decidedBy, decision }] });
    } catch (error) {
      const refusal = updateRefusal(error, ['AlreadyDecided', 'NotAwaitingDecision']);
      if (refusal instanceof HttpException && refusal.getStatus() === HttpStatus.CONFLICT) {
        const recorded = await recordedCompletion(this.dataSource, taskId);
        throw conflictWith(`SGB II decision task ${taskId} is already decided`, { recorded: recorded ? inboxTaskView(recorded) : { taskId } });
      }
      throw refusal;
    }
    await tasks
      .createQueryBuilder()
      .update()
      .set({ state: 'completed', completedBy: decidedBy, resolution: decided, closedAt: new Date(decided.decidedAt) })
      .where('id = :taskId AND state = :open', { taskId, open: 'open' })
      .execute();
    return { taskId, caseRef: task.caseRef, outcome: decided.outcome, ruleSetVersion: decided.ruleSetVersion, decidedAt: decided.decidedAt };
  }
}
