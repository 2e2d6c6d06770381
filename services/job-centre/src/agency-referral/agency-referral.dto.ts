import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PersonIdentifiersDto } from '../person-identifiers.dto';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import {
  AGENCY_PROGRAMMES,
  AGENCY_REFUSAL_REASONS,
  BA_CUSTOMER_NUMBER_PATTERN,
  CASE_REF_EXAMPLE,
  CASE_REF_PATTERN,
  CASEWORKER_ID_PATTERN,
  LANGUAGE_LEVELS,
  type AgencyInformation,
  type AgencyProgramme,
  type AgencyReferralSubject,
  type LanguageLevel,
} from '@handoffs/contracts';

export class AgencyReferralSubjectDto extends PersonIdentifiersDto implements AgencyReferralSubject {
  @ApiProperty({ example: '123A456789', description: 'BA-Kundennummer (§ 51a SGB II)' })
  @IsString()
  @Matches(BA_CUSTOMER_NUMBER_PATTERN, { message: 'baCustomerNumber must be a BA-Kundennummer like 123A456789' })
  baCustomerNumber!: string;
}

export class ReferToAgencyDto {
  @ApiProperty({ example: CASE_REF_EXAMPLE, pattern: CASE_REF_PATTERN.source, description: 'Pseudonymous case reference of the job centre' })
  @IsString()
  @Matches(CASE_REF_PATTERN, { message: `caseRef must be a pseudonymous case reference like ${CASE_REF_EXAMPLE}` })
  caseRef!: string;

  @ApiProperty({ example: 'jc.mueller', description: 'Staff ID of the referring caseworker' })
  @IsString()
  @Matches(CASEWORKER_ID_PATTERN, { message: 'caseworkerId must be a staff ID (lowercase letters, digits, . _ -)' })
  caseworkerId!: string;

  @ApiProperty({ enum: AGENCY_PROGRAMMES, example: 'competence-assessment' })
  @IsIn(AGENCY_PROGRAMMES)
  programme!: AgencyProgramme;

  @ApiProperty({ type: AgencyReferralSubjectDto, description: 'The minimum dataset the agency needs, with the BA-Kundennummer' })
  @IsObject()
  @ValidateNested()
  @Type(() => AgencyReferralSubjectDto)
  subject!: AgencyReferralSubjectDto;

  @ApiPropertyOptional({ enum: LANGUAGE_LEVELS, description: 'CEFR level, if known; the agency asks for it otherwise' })
  @IsOptional()
  @IsIn(LANGUAGE_LEVELS)
  languageLevel?: LanguageLevel;
}

export class AgencyInformationDto implements AgencyInformation {
  @ApiPropertyOptional({ enum: LANGUAGE_LEVELS })
  @IsOptional()
  @IsIn(LANGUAGE_LEVELS)
  languageLevel?: LanguageLevel;
}

export class SupplyAgencyInformationDto {
  @ApiProperty({ example: 'jc.mueller', description: 'Staff ID of the job-centre caseworker' })
  @IsString()
  @Matches(CASEWORKER_ID_PATTERN, { message: 'caseworkerId must be a staff ID (lowercase letters, digits, . _ -)' })
  caseworkerId!: string;

  @ApiProperty({ type: AgencyInformationDto, description: 'What the agency asked for (the task lists it)' })
  @IsObject()
  @ValidateNested()
  @Type(() => AgencyInformationDto)
  information!: AgencyInformationDto;
}

export class AgencyReferralView {
  @ApiProperty() caseRef!: string;
  @ApiProperty({ description: 'The Temporal workflow ID of the handoff' }) handoffId!: string;
  @ApiProperty() referralId!: string;
  @ApiProperty({ enum: AGENCY_PROGRAMMES }) programme!: string;
  @ApiProperty({ enum: ['precheck', 'sent', 'needs-info', 'accepted', 'refused'] }) state!: string;
  @ApiProperty() requestedAt!: string;
  @ApiPropertyOptional({ description: 'From status clarification (P1), or NOT_CLARIFIED' }) workPermission!: string | null;
  @ApiProperty({ description: 'The latest round sent to the agency' }) round!: number;
  @ApiPropertyOptional({ enum: ['ACCEPTED', 'REFUSED', 'NEEDS_INFO'] }) outcome!: string | null;
  @ApiPropertyOptional({ enum: AGENCY_REFUSAL_REASONS }) refusalReason!: string | null;
  @ApiPropertyOptional({ type: [String] }) missing!: string[] | null;
  @ApiPropertyOptional() decidedAt!: string | null;
  @ApiProperty({ enum: ['job-centre', 'employment-agency'], description: 'Who delivers the programme; the job centre stays responsible for the case' })
  programmeCarrier!: string;
}

export class AgencyInformationSuppliedView {
  @ApiProperty() taskId!: string;
  @ApiProperty() caseRef!: string;
  @ApiProperty() nextRound!: number;
  @ApiProperty() suppliedAt!: string;
}
