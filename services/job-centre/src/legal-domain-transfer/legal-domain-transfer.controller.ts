import { Body, Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CASE_REF_PATTERN, LEGAL_DOMAIN_TRANSFER_TASKS, type Actor, type Sgb2ApplicationDecision } from '@handoffs/contracts';
import { CompletesTask, Handoffs, taskIdPipe } from '@handoffs/handoff-records';
import { decideSgb2Application } from '@handoffs/workflows/messages';
import { DecideSgb2ApplicationDto, Sgb2ApplicationView, Sgb2DecidedView } from './legal-domain-transfer.dto';
import { ReimbursementClaim, Sgb2Application } from './sgb2-application.entity';

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
    private readonly handoffs: Handoffs,
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
  @CompletesTask('sgb-ii-decision', { type: Sgb2DecidedView, what: 'decision' })
  async decide(@Param('taskId', taskIdPipe()) taskId: string, @Body() body: DecideSgb2ApplicationDto): Promise<Sgb2DecidedView> {
    const decidedBy: Actor = { domain: 'job-centre', caseworkerId: body.caseworkerId };
    const decision: Sgb2ApplicationDecision =
      body.decision.kind === 'award'
        ? { kind: 'award', from: body.decision.from ?? '', until: body.decision.until ?? '' }
        : { kind: 'no-need', reason: body.decision.reason ?? '' };
    const { task, result } = await this.handoffs.completeTask({
      taskId,
      task: { name: 'SGB II decision task', kind: LEGAL_DOMAIN_TRANSFER_TASKS.sgb2Decision },
      actor: decidedBy,
      update: decideSgb2Application,
      args: () => [{ taskId, decidedBy, decision }],
      conflicts: ['AlreadyDecided', 'NotAwaitingDecision'],
    });
    return { taskId, caseRef: task.caseRef, outcome: result.outcome, ruleSetVersion: result.ruleSetVersion, decidedAt: result.decidedAt };
  }
}
