import { Body, Controller, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import {
  CASE_REF_PATTERN,
  CASEWORKER_ID_PATTERN,
  PROCESSES,
  handoffWorkflowId,
  type DeadlineChangeRequest,
  type DeadlineView,
  type Process,
} from '@handoffs/contracts';
import { Handoffs } from '@handoffs/handoff-records';
import { changeDeadline } from '@handoffs/workflows/messages';
import { SERVICE_CONFIG, type ServiceConfig } from './config';

const ACTIONS = ['extend', 'suspend', 'resume'] as const;

export class ChangeDeadlineDto {
  @ApiProperty({ example: 'abh.lead', description: 'Staff ID of the caseworker or team lead' })
  @Matches(CASEWORKER_ID_PATTERN, { message: 'caseworkerId must be a staff ID (lowercase letters, digits, . _ -)' })
  caseworkerId!: string;

  @ApiProperty({ enum: ACTIONS })
  @IsIn(ACTIONS)
  action!: (typeof ACTIONS)[number];

  @ApiProperty({ example: 'Waiting for the passport copy from the embassy' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;

  @ApiPropertyOptional({ example: '3 days', description: 'With `extend`: how much longer' })
  // Required with `extend`; given with another action, still checked (a wrong type is a 400).
  @ValidateIf((change: ChangeDeadlineDto) => change.action === 'extend' || change.extendBy !== undefined)
  @IsString()
  @Matches(/^\d+ (second|minute|hour|day|week)s?$/, { message: 'extendBy must be a duration like "3 days"' })
  @IsOptional()
  extendBy?: string;
}

export class DeadlineViewDto {
  @ApiPropertyOptional() dueAt!: string | null;
  @ApiProperty() suspended!: boolean;
  @ApiProperty({ description: 'Every change with who made it, when and why' }) changes!: object[];
}

/**
 * The domain a handoff step waits on extends, suspends or resumes its deadline, always with a
 * reason; the workflow refuses a change from any other domain.
 */
@ApiTags('deadlines')
@Controller('handoffs')
export class DeadlineController {
  constructor(
    private readonly handoffs: Handoffs,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Post(':process/:caseRef/deadline')
  @HttpCode(200)
  @ApiOkResponse({ type: DeadlineViewDto })
  @ApiBadRequestResponse({ description: 'Invalid change (e.g. no reason, extending a suspended deadline)' })
  @ApiNotFoundResponse({ description: 'No such handoff' })
  @ApiConflictResponse({ description: 'The step does not wait on this domain, or nothing is waited on' })
  async change(@Param('process') process: string, @Param('caseRef') caseRef: string, @Body() body: ChangeDeadlineDto): Promise<DeadlineView> {
    if (!(PROCESSES as readonly string[]).includes(process) || !CASE_REF_PATTERN.test(caseRef)) {
      throw new NotFoundException('No such handoff');
    }
    const change: DeadlineChangeRequest = {
      action: body.action,
      by: { domain: this.config.domain, caseworkerId: body.caseworkerId },
      reason: body.reason,
      ...(body.action === 'extend' ? { extendBy: body.extendBy } : {}),
    };
    return this.handoffs.update({
      workflowId: handoffWorkflowId(process as Process, caseRef),
      update: changeDeadline,
      args: [change],
      conflicts: ['WrongDomain', 'NoDeadline'],
    });
  }
}
