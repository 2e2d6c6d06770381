import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsObject, IsString, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { CASEWORKER_ID_PATTERN, ISO_DATE_PATTERN } from '@handoffs/contracts';

// Each field is required for its kind and, where given with the other kind, still checked: a wrong
// type is a 400 whatever the kind.
export class Sgb2ApplicationDecisionDto {
  @ApiProperty({ enum: ['award', 'no-need'] })
  @IsIn(['award', 'no-need'])
  kind!: 'award' | 'no-need';

  @ApiPropertyOptional({ example: '2027-01-01', description: 'award: first day, always the day after AsylbLG ends' })
  @ValidateIf((d: Sgb2ApplicationDecisionDto) => d.kind === 'award' || d.from !== undefined)
  @Matches(ISO_DATE_PATTERN, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2027-12-31', description: 'award: last day of the award period' })
  @ValidateIf((d: Sgb2ApplicationDecisionDto) => d.kind === 'award' || d.until !== undefined)
  @Matches(ISO_DATE_PATTERN, { message: 'until must be a date YYYY-MM-DD' })
  until?: string;

  @ApiPropertyOptional({ example: 'income from employment covers the need', description: 'no-need: why' })
  @ValidateIf((d: Sgb2ApplicationDecisionDto) => d.kind === 'no-need' || d.reason !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason?: string;
}

export class DecideSgb2ApplicationDto {
  @ApiProperty({ example: 'jc.mueller', description: 'Staff ID of the deciding job-centre caseworker' })
  @IsString()
  @Matches(CASEWORKER_ID_PATTERN, { message: 'caseworkerId must be a staff ID (lowercase letters, digits, . _ -)' })
  caseworkerId!: string;

  @ApiProperty({ type: Sgb2ApplicationDecisionDto })
  @IsObject()
  @ValidateNested()
  @Type(() => Sgb2ApplicationDecisionDto)
  decision!: Sgb2ApplicationDecisionDto;
}

export class Sgb2DecidedView {
  @ApiProperty() taskId!: string;
  @ApiProperty() caseRef!: string;
  @ApiProperty({ enum: ['SGB2_ACTIVE', 'NO_NEED'] }) outcome!: string;
  @ApiProperty() ruleSetVersion!: string;
  @ApiProperty() decidedAt!: string;
}

export class ReimbursementClaimView {
  @ApiProperty({ enum: ['social-services'] }) claimant!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() days!: number;
  @ApiProperty() assertBy!: string;
  @ApiProperty() legalBasis!: string;
}

export class Sgb2ApplicationView {
  @ApiProperty() caseRef!: string;
  @ApiProperty({ description: 'The Temporal workflow ID of the transfer' }) handoffId!: string;
  @ApiProperty({ enum: ['received', 'advance-paid', 'decided'] }) state!: string;
  @ApiPropertyOptional({ enum: ['SGB2_ACTIVE', 'NO_NEED', 'PENDING_DECISION'] }) outcome!: string | null;
  @ApiProperty() asylblgEnd!: string;
  @ApiProperty({ description: 'SGB II starts the day after AsylbLG ends' }) startsOn!: string;
  @ApiProperty() filedOn!: string;
  @ApiPropertyOptional({ description: 'Advance (§ 42 SGB I) paid while the decision was outstanding' }) advance!: object | null;
  @ApiPropertyOptional() decision!: object | null;
  @ApiPropertyOptional() awardFrom!: string | null;
  @ApiPropertyOptional() awardUntil!: string | null;
  @ApiPropertyOptional() decidedBy!: object | null;
  @ApiPropertyOptional() decidedAt!: string | null;
  @ApiPropertyOptional() ruleSetVersion!: string | null;
  @ApiPropertyOptional({ type: ReimbursementClaimView }) reimbursementClaim!: ReimbursementClaimView | null;
}
