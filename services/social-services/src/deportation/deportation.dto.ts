import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import {
  CASEWORKER_ID_PATTERN,
  CONCERN_REASONS,
  SEPARATION_CIRCUMSTANCES,
  type ConcernReason,
  type SeparationCircumstance,
} from '@handoffs/contracts';

const STAFF_ID = { message: 'caseworkerId must be a staff ID (lowercase letters, digits, . _ -)' };

export class CompleteParticipationDto {
  @ApiProperty({ example: 'ksd.becker', description: 'Staff ID of the KSD caseworker; they become the assigned social worker' })
  @IsString()
  @Matches(CASEWORKER_ID_PATTERN, STAFF_ID)
  caseworkerId!: string;

  @ApiProperty({ enum: ['no-concern', 'concern'] })
  @IsIn(['no-concern', 'concern'])
  finding!: 'no-concern' | 'concern';

  @ApiPropertyOptional({ enum: CONCERN_REASONS, description: 'Required with a concern; a category only, never entrusted data (§ 65 SGB VIII)' })
  @IsOptional()
  @IsIn(CONCERN_REASONS)
  concernReason?: ConcernReason;
}

export class ReportSeparationDto {
  @ApiProperty({ example: 'ksd.becker' })
  @IsString()
  @Matches(CASEWORKER_ID_PATTERN, STAFF_ID)
  caseworkerId!: string;

  @ApiProperty({ example: 9, description: 'Age of the separated child in whole years; no name' })
  @IsInt()
  @Min(0)
  @Max(17)
  childAge!: number;

  @ApiProperty({ enum: SEPARATION_CIRCUMSTANCES })
  @IsIn(SEPARATION_CIRCUMSTANCES)
  circumstance!: SeparationCircumstance;
}

export class PlannedDateQuery {
  @ApiProperty({ example: 'ksd.becker', description: 'Staff ID of the social worker asking; only the assigned one is answered' })
  @IsString()
  @Matches(CASEWORKER_ID_PATTERN, STAFF_ID)
  caseworkerId!: string;
}

export class ParticipationCompletedView {
  @ApiProperty() taskId!: string;
  @ApiProperty() caseRef!: string;
  @ApiProperty({ description: 'The stage the deportation case moved to' }) stage!: string;
}

export class SeparationReportedView {
  @ApiProperty() caseRef!: string;
  @ApiProperty({ description: 'The child-protection task opened in this inbox' }) taskId!: string;
}

export class PlannedDateView {
  @ApiProperty() caseRef!: string;
  @ApiProperty() plannedAt!: string;
  @ApiProperty({ description: 'The date is shown until this instant' }) visibleUntil!: string;
}
