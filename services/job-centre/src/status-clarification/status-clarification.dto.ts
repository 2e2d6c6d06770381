import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PersonIdentifiersDto } from '../person-identifiers.dto';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
  IsObject,
  IsInt,
  IsNumber,
  Max,
  Min,
} from 'class-validator';
import {
  AZR_NUMBER_PATTERN,
  CASE_REF_EXAMPLE,
  CASE_REF_PATTERN,
  CASEWORKER_ID_PATTERN,
  STATUS_QUESTIONS,
  type InquirySubject,
  type PlannedEmployment,
  type StatusQuestion,
  STATUS_CLARIFICATION_OUTCOMES,
} from '@handoffs/contracts';

export class InquirySubjectDto extends PersonIdentifiersDto implements InquirySubject {
  @ApiPropertyOptional({ description: 'AZR-Nummer, if known (opaque)', example: '012345678901' })
  @IsOptional()
  @IsString()
  @Matches(AZR_NUMBER_PATTERN)
  azrNumber?: string;
}

export class PlannedEmploymentDto implements PlannedEmployment {
  @ApiProperty({ example: 'Ruhr Logistik GmbH' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  employer!: string;

  @ApiProperty({ example: 'Warehouse operative (Fachkraft für Lagerlogistik)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  occupation!: string;

  @ApiProperty({ example: 39, minimum: 1, maximum: 80 })
  @IsInt()
  @Min(1)
  @Max(80)
  hoursPerWeek!: number;

  @ApiProperty({ example: 2850, description: 'Gross monthly wage in euros' })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1000000)
  grossMonthlyWage!: number;

  @ApiProperty({ example: '2026-01-15', description: 'ISO date' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'startDate must be a date YYYY-MM-DD' })
  startDate!: string;
}

export class RequestStatusClarificationDto {
  @ApiProperty({ example: CASE_REF_EXAMPLE, pattern: CASE_REF_PATTERN.source, description: 'Pseudonymous case reference of the job centre' })
  @IsString()
  @Matches(CASE_REF_PATTERN, { message: `caseRef must be a pseudonymous case reference like ${CASE_REF_EXAMPLE}` })
  caseRef!: string;

  @ApiProperty({ example: 'jc.mueller', description: 'Staff ID of the requesting caseworker' })
  @IsString()
  @Matches(CASEWORKER_ID_PATTERN, { message: 'caseworkerId must be a staff ID (lowercase letters, digits, . _ -)' })
  caseworkerId!: string;

  @ApiProperty({ type: InquirySubjectDto, description: 'The minimum identifiers the immigration office needs' })
  @IsObject()
  @ValidateNested()
  @Type(() => InquirySubjectDto)
  subject!: InquirySubjectDto;

  @ApiProperty({ enum: STATUS_QUESTIONS, isArray: true, example: ['employment-permitted', 'document-validity'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(STATUS_QUESTIONS, { each: true })
  questions!: StatusQuestion[];

  @ApiPropertyOptional({
    type: PlannedEmploymentDto,
    description: 'The employment in view; needed where the permission depends on the employment agency\'s consent (§ 39 AufenthG)',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PlannedEmploymentDto)
  plannedEmployment?: PlannedEmploymentDto;
}

export class StatusClarificationView {
  @ApiProperty() caseRef!: string;
  @ApiProperty({ description: 'The Temporal workflow ID of the handoff' }) handoffId!: string;
  @ApiProperty({ enum: ['requested', 'answered', 'withdrawn'] }) state!: string;
  @ApiProperty() requestedAt!: string;
  @ApiPropertyOptional({ enum: STATUS_CLARIFICATION_OUTCOMES })
  outcome!: string | null;
  @ApiPropertyOptional() answer!: object | null;
  @ApiPropertyOptional() answeredBy!: object | null;
  @ApiPropertyOptional() answeredAt!: string | null;
  @ApiPropertyOptional() validUntil!: string | null;
  @ApiPropertyOptional({
    enum: ['required', 'given', 'deemed', 'objected'],
    description: "The employment agency's consent where the permission needs it: given or objected by the agency, or deemed given after two weeks without objection (§ 36 Abs. 2 BeschV)",
  })
  agencyConsent!: string | null;
  @ApiPropertyOptional() withdrawal!: object | null;
}

export class WithdrawStatusClarificationDto {
  @ApiProperty({ example: 'jc.mueller', description: 'Staff ID of the withdrawing caseworker' })
  @IsString()
  @Matches(CASEWORKER_ID_PATTERN, { message: 'caseworkerId must be a staff ID (lowercase letters, digits, . _ -)' })
  caseworkerId!: string;

  @ApiProperty({ example: 'Placement cancelled by the employer' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}
