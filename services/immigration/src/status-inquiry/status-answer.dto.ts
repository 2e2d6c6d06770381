import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import {
  CASEWORKER_ID_PATTERN,
  EMPLOYMENT_PERMISSIONS,
  RECOGNITION_KINDS,
  RESIDENCE_DOCUMENTS,
  type Recognition,
  type RecognitionKind,
  type EmploymentPermission,
  type ResidenceDocument,
  type ResidenceObligation,
  type StatusAnswer,
  STATUS_CLARIFICATION_OUTCOMES,
} from '@handoffs/contracts';

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class ResidenceObligationDto implements ResidenceObligation {
  @ApiProperty({ example: 'Nordrhein-Westfalen' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  land!: string;

  @ApiPropertyOptional({ example: 'Mülheim an der Ruhr' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  municipality?: string;

  @ApiProperty({ example: '2028-03-31' })
  @Matches(ISO_DATE, { message: 'until must be a date YYYY-MM-DD' })
  until!: string;
}

export class StatusChangeDto implements Recognition {
  @ApiProperty({ enum: RECOGNITION_KINDS, description: 'What ends AsylbLG entitlement' })
  @IsIn(RECOGNITION_KINDS)
  kind!: RecognitionKind;

  @ApiProperty({ example: '2026-11-20', description: 'The day the decision was served (or the title granted)' })
  @Matches(ISO_DATE, { message: 'servedOn must be a date YYYY-MM-DD' })
  servedOn!: string;
}

export class StatusAnswerDto implements StatusAnswer {
  @ApiProperty({ enum: RESIDENCE_DOCUMENTS })
  @IsIn(RESIDENCE_DOCUMENTS)
  residenceDocument!: ResidenceDocument;

  @ApiProperty({ example: '§ 25 Abs. 2 AufenthG' })
  @IsString()
  @Matches(/^§ ?\d+[a-z]?( Abs\. ?\d+)?( S\. ?\d+)?( Nr\. ?\d+)? [A-Za-z]+$/, {
    message: 'legalBasis must name a section, e.g. "§ 25 Abs. 2 AufenthG"',
  })
  legalBasis!: string;

  @ApiProperty({ example: '2025-06-01' })
  @Matches(ISO_DATE, { message: 'validFrom must be a date YYYY-MM-DD' })
  validFrom!: string;

  @ApiProperty({ example: '2028-05-31' })
  @Matches(ISO_DATE, { message: 'validUntil must be a date YYYY-MM-DD' })
  validUntil!: string;

  @ApiProperty({ enum: EMPLOYMENT_PERMISSIONS })
  @IsIn(EMPLOYMENT_PERMISSIONS)
  employmentPermission!: EmploymentPermission;

  @ApiPropertyOptional({ example: 'only with employer Ruhr Logistik GmbH' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  employmentRestriction?: string;

  @ApiPropertyOptional({ type: ResidenceObligationDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ResidenceObligationDto)
  residenceObligation?: ResidenceObligationDto;

  @ApiPropertyOptional({
    enum: ['required'],
    description: "The permission needs the employment agency's consent (§ 39 AufenthG): only with NEEDS_PERMISSION and an inquiry that names the planned employment",
  })
  @IsOptional()
  @IsIn(['required'], { message: "agencyConsent can only be 'required': the employment agency gives or refuses it" })
  agencyConsent?: 'required';

  @ApiPropertyOptional({ type: StatusChangeDto, description: 'The status has changed in a way that ends AsylbLG entitlement: outcome STATUS_CHANGE' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => StatusChangeDto)
  statusChange?: StatusChangeDto;
}

export class AnswerStatusInquiryDto {
  @ApiProperty({ example: 'abh.schmidt', description: 'Staff ID of the answering immigration caseworker' })
  @IsString()
  @Matches(CASEWORKER_ID_PATTERN, { message: 'caseworkerId must be a staff ID (lowercase letters, digits, . _ -)' })
  caseworkerId!: string;

  @ApiProperty({ type: StatusAnswerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => StatusAnswerDto)
  answer!: StatusAnswerDto;
}

export class StatusInquiryAnsweredView {
  @ApiProperty() taskId!: string;
  @ApiProperty() caseRef!: string;
  @ApiProperty({ enum: STATUS_CLARIFICATION_OUTCOMES }) outcome!: string;
  @ApiProperty() answeredAt!: string;
}
