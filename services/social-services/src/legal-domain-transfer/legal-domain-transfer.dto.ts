import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsObject, IsString, Matches, ValidateNested } from 'class-validator';
import {
  CASE_REF_EXAMPLE,
  CASE_REF_PATTERN,
  CASEWORKER_ID_PATTERN,
  ISO_DATE_PATTERN,
  RECOGNITION_KINDS,
  type PaymentPeriod,
  type Recognition,
  type RecognitionKind,
} from '@handoffs/contracts';

const date = (field: string) => Matches(ISO_DATE_PATTERN, { message: `${field} must be a date YYYY-MM-DD` });
const staffId = () =>
  Matches(CASEWORKER_ID_PATTERN, { message: 'caseworkerId must be a staff ID (lowercase letters, digits, . _ -)' });

export class RecognitionDto implements Recognition {
  @ApiProperty({ enum: RECOGNITION_KINDS })
  @IsIn(RECOGNITION_KINDS)
  kind!: RecognitionKind;

  @ApiProperty({ example: '2026-11-20', description: 'The day the decision was served on the person' })
  @date('servedOn')
  servedOn!: string;
}

export class PaymentPeriodDto implements PaymentPeriod {
  @ApiProperty({ example: '2026-11-01' }) @date('from') from!: string;
  @ApiProperty({ example: '2026-11-30' }) @date('to') to!: string;
}

export class AsylbLGBenefitDto {
  @ApiProperty({ example: '2025-03-01', description: 'AsylbLG benefits since' })
  @date('since')
  since!: string;

  @ApiProperty({ type: [PaymentPeriodDto], description: 'The periods paid so far (monthly in advance)' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(120)
  @ValidateNested({ each: true })
  @Type(() => PaymentPeriodDto)
  payments!: PaymentPeriodDto[];
}

export class ReportRecognitionDto {
  @ApiProperty({ example: 'SA-2026-000731', pattern: CASE_REF_PATTERN.source, description: "Social services' pseudonymous case reference" })
  @IsString()
  @Matches(CASE_REF_PATTERN, { message: `caseRef must be a pseudonymous case reference like ${CASE_REF_EXAMPLE}` })
  caseRef!: string;

  @ApiProperty({ example: 'sa.yilmaz' })
  @IsString()
  @staffId()
  caseworkerId!: string;

  @ApiProperty({ type: RecognitionDto })
  @IsObject()
  @ValidateNested()
  @Type(() => RecognitionDto)
  recognition!: RecognitionDto;

  @ApiProperty({ type: AsylbLGBenefitDto })
  @IsObject()
  @ValidateNested()
  @Type(() => AsylbLGBenefitDto)
  asylblg!: AsylbLGBenefitDto;
}

export class ConfirmEffectiveDateDto {
  @ApiProperty({ example: 'sa.yilmaz', description: 'Staff ID of the deciding social-services caseworker' })
  @IsString()
  @staffId()
  caseworkerId!: string;

  @ApiProperty({ example: '2026-11-20', description: 'The day the AsylbLG entitlement lapses; AsylbLG ends at the end of that month' })
  @date('effectiveDate')
  effectiveDate!: string;
}

export class AsylbLGBenefitView {
  @ApiProperty() caseRef!: string;
  @ApiProperty({ description: 'The Temporal workflow ID of the transfer' }) handoffId!: string;
  @ApiProperty({ enum: ['running', 'ending', 'ended'] }) state!: string;
  @ApiProperty() recognition!: object;
  @ApiProperty() since!: string;
  @ApiPropertyOptional({ description: 'Last day of AsylbLG: the end of the month of the effective date' }) endsOn!: string | null;
  @ApiProperty({ type: [PaymentPeriodDto] }) payments!: PaymentPeriod[];
  @ApiPropertyOptional({ description: 'The termination decision: effective date, who decided, when, rule-set version' })
  termination!: object | null;
  @ApiPropertyOptional({ description: 'Reimbursement claimed from the job centre for days both paid for' })
  reimbursement!: object | null;
}

export class EffectiveDateConfirmedView {
  @ApiProperty() taskId!: string;
  @ApiProperty() caseRef!: string;
  @ApiProperty() effectiveDate!: string;
  @ApiProperty() asylblgEnd!: string;
  @ApiProperty() sgb2Start!: string;
  @ApiProperty() ruleSetVersion!: string;
}
