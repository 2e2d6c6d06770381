import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CANCELLATION_REASONS,
  CASE_REF_PATTERN,
  CASEWORKER_ID_PATTERN,
  ISO_DATE_TIME_PATTERN,
  NIGHT_OVERRIDE_REASONS,
  VULNERABILITIES,
  type CancellationReason,
  type NightOverrideReason,
  type Vulnerability,
} from '@handoffs/contracts';

const ISO_DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const STAFF_ID = { message: 'caseworkerId must be a staff ID (lowercase letters, digits, . _ -)' };

class CaseworkerDto {
  @ApiProperty({ example: 'abh.vollzug', description: 'Staff ID of the acting immigration caseworker' })
  @IsString()
  @Matches(CASEWORKER_ID_PATTERN, STAFF_ID)
  caseworkerId!: string;
}

export class StartDeportationDto extends CaseworkerDto {
  @ApiProperty({ example: 'ABH-2026-000042', pattern: CASE_REF_PATTERN.source, description: 'Pseudonymous case reference of the immigration office' })
  @IsString()
  @Matches(CASE_REF_PATTERN, { message: 'caseRef must be a pseudonymous case reference like ABH-2026-000042' })
  caseRef!: string;

  @ApiProperty({ example: [4, 9, 15], description: 'Ages of the minor children in whole years; no names' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(15)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(17, { each: true })
  childrenAges!: number[];

  @ApiProperty({ enum: VULNERABILITIES, isArray: true, example: ['school-age-children'] })
  @IsArray()
  @ArrayUnique()
  @IsIn(VULNERABILITIES, { each: true })
  vulnerabilities!: Vulnerability[];

  @ApiProperty({ example: '2026-12-15', description: 'The planned day of departure; the KSD takes part before it. Need-to-know.' })
  @Matches(ISO_DAY, { message: 'plannedDate must be a date YYYY-MM-DD' })
  plannedDate!: string;
}

export class ConcernDecisionDto extends CaseworkerDto {
  @ApiProperty({ enum: ['proceed', 'postpone', 'cancel'] })
  @IsIn(['proceed', 'postpone', 'cancel'])
  decision!: 'proceed' | 'postpone' | 'cancel';

  @ApiPropertyOptional({ example: '2027-01-20', description: 'For postpone: the new planned day' })
  @IsOptional()
  @Matches(ISO_DAY, { message: 'plannedDate must be a date YYYY-MM-DD' })
  plannedDate?: string;

  @ApiPropertyOptional({ enum: CANCELLATION_REASONS, description: 'For cancel' })
  @IsOptional()
  @IsIn(CANCELLATION_REASONS)
  cancellationReason?: CancellationReason;
}

export class NightOverrideDto {
  @ApiProperty({ enum: NIGHT_OVERRIDE_REASONS })
  @IsIn(NIGHT_OVERRIDE_REASONS)
  reason!: NightOverrideReason;
}

export class ScheduleDeportationDto extends CaseworkerDto {
  @ApiProperty({ example: '2026-12-15T07:30:00+01:00', description: 'The operation; between 21:00 and 06:00 a family with children under 14 needs nightOverride' })
  @IsISO8601({ strict: true })
  @Matches(ISO_DATE_TIME_PATTERN, { message: 'plannedAt must be a date and time with offset, e.g. 2026-12-15T07:30:00+01:00' })
  plannedAt!: string;

  @ApiPropertyOptional({ type: NightOverrideDto, description: 'Logged with the acting caseworker' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NightOverrideDto)
  nightOverride?: NightOverrideDto;
}

export class RecordExecutionDto extends CaseworkerDto {
  @ApiProperty({ example: '2026-12-15T08:10:00+01:00' })
  @IsISO8601({ strict: true })
  @Matches(ISO_DATE_TIME_PATTERN, { message: 'departedAt must be a date and time with offset, e.g. 2026-12-15T08:10:00+01:00' })
  departedAt!: string;

  @ApiProperty({ enum: ['deported', 'voluntary'] })
  @IsIn(['deported', 'voluntary'])
  departure!: 'deported' | 'voluntary';
}

export class CancelDeportationDto extends CaseworkerDto {
  @ApiProperty({ enum: CANCELLATION_REASONS })
  @IsIn(CANCELLATION_REASONS)
  reason!: CancellationReason;
}

export class PlannedDateQuery extends CaseworkerDto {
  @ApiProperty({ enum: ['enforcement', 'caseworker'], description: 'Only immigration enforcement (Vollzug) sees the date' })
  @IsIn(['enforcement', 'caseworker'])
  role!: 'enforcement' | 'caseworker';
}

export class DeportationCaseView {
  @ApiProperty() caseRef!: string;
  @ApiProperty({ description: 'The Temporal workflow ID of the handoff' }) handoffId!: string;
  @ApiProperty({ enum: ['open', 'executed', 'cancelled'] }) state!: string;
  @ApiPropertyOptional({ description: 'Stage of the removal state machine, while the handoff can be asked' }) stage!: string | null;
  @ApiPropertyOptional() outcome!: string | null;
  @ApiProperty() childrenAges!: number[];
  @ApiProperty() scheduled!: boolean;
  @ApiPropertyOptional() nightOverride!: object | null;
  @ApiPropertyOptional() cancellationReason!: string | null;
  @ApiProperty() requestedAt!: string;
}

export class StageView {
  @ApiProperty() caseRef!: string;
  @ApiProperty() stage!: string;
}

export class PlannedDateView {
  @ApiProperty() caseRef!: string;
  @ApiProperty() plannedDate!: string;
  @ApiPropertyOptional() plannedAt!: string | null;
  @ApiPropertyOptional() nightOverride!: object | null;
}
