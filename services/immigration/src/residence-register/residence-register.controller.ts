import { Body, Controller, Get, NotFoundException, Param, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsObject, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { DataSource } from 'typeorm';
import { AZR_NUMBER_PATTERN, CASEWORKER_ID_PATTERN, answerProblems } from '@handoffs/contracts';
import { invalidRequest } from '@handoffs/service-kit';
import { StatusAnswerDto } from '../status-inquiry/status-answer.dto';
import { statusAnswerOf } from './residence-register.activities';
import { ResidenceRecord } from './residence-record.entity';

export class RecordResidenceStatusDto {
  @ApiProperty({ example: 'abh.schmidt' })
  @Matches(CASEWORKER_ID_PATTERN, { message: 'caseworkerId must be a staff ID (lowercase letters, digits, . _ -)' })
  caseworkerId!: string;

  @ApiProperty({ example: 'Haddad' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  familyName!: string;

  @ApiProperty({ example: '1991-03-14' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateOfBirth must be a date YYYY-MM-DD' })
  dateOfBirth!: string;

  @ApiProperty({ type: StatusAnswerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => StatusAnswerDto)
  status!: StatusAnswerDto;
}

export class ResidenceRecordView {
  @ApiProperty() azrNumber!: string;
  @ApiProperty({ type: StatusAnswerDto }) status!: StatusAnswerDto;
  @ApiProperty() verifiedAt!: string;
  @ApiProperty() verifiedBy!: string;
}

/** The immigration office's own register: its caseworkers record a person's current status here. */
@ApiTags('residence register')
@Controller('residence-records')
export class ResidenceRegisterController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Put(':azrNumber')
  @ApiOkResponse({ type: ResidenceRecordView, description: 'Recorded (created or replaced), verified now' })
  @ApiBadRequestResponse({ description: 'Invalid record (application/problem+json naming each bad field)' })
  async record(@Param('azrNumber') azrNumber: string, @Body() body: RecordResidenceStatusDto): Promise<ResidenceRecordView> {
    const problems = [
      ...(AZR_NUMBER_PATTERN.test(azrNumber) ? [] : [{ field: 'azrNumber', problems: ['azrNumber must be an AZR-Nummer'] }]),
      ...answerProblems(body.status).map((problem) => ({ field: 'status', problems: [problem] })),
    ];
    if (problems.length > 0) {
      throw invalidRequest(problems);
    }
    const record = await this.dataSource.getRepository(ResidenceRecord).save({
      azrNumber,
      familyName: body.familyName,
      dateOfBirth: body.dateOfBirth,
      residenceDocument: body.status.residenceDocument,
      legalBasis: body.status.legalBasis,
      validFrom: body.status.validFrom,
      validUntil: body.status.validUntil,
      employmentPermission: body.status.employmentPermission,
      employmentRestriction: body.status.employmentRestriction ?? null,
      residenceObligation: body.status.residenceObligation ?? null,
      verifiedAt: new Date(),
      verifiedBy: body.caseworkerId,
    });
    return this.view(record);
  }

  @Get(':azrNumber')
  @ApiOkResponse({ type: ResidenceRecordView })
  @ApiNotFoundResponse({ description: 'No record for this AZR-Nummer' })
  async get(@Param('azrNumber') azrNumber: string): Promise<ResidenceRecordView> {
    const record = AZR_NUMBER_PATTERN.test(azrNumber) ? await this.dataSource.getRepository(ResidenceRecord).findOneBy({ azrNumber }) : null;
    if (!record) {
      throw new NotFoundException('No residence record for this AZR-Nummer');
    }
    return this.view(record);
  }

  private view(record: ResidenceRecord): ResidenceRecordView {
    return {
      azrNumber: record.azrNumber,
      status: statusAnswerOf(record) as StatusAnswerDto,
      verifiedAt: record.verifiedAt.toISOString(),
      verifiedBy: record.verifiedBy,
    };
  }
}
