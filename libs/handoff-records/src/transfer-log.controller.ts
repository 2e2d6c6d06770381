import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { CASE_REF_EXAMPLE, CASE_REF_PATTERN } from '@handoffs/contracts';
import { TransferLogEntry } from './transfer-log-entry.entity';

export class TransferLogQuery {
  @ApiProperty({ example: CASE_REF_EXAMPLE, pattern: CASE_REF_PATTERN.source })
  @Matches(CASE_REF_PATTERN, { message: 'caseRef must be a pseudonymous case reference like ' + CASE_REF_EXAMPLE })
  caseRef!: string;
}

export class TransferLogView {
  @ApiProperty() caseRef!: string;
  @ApiProperty() process!: string;
  @ApiProperty() flowId!: string;
  @ApiProperty({ enum: ['sent', 'received'] }) direction!: string;
  @ApiProperty() counterpart!: string;
  @ApiProperty() legalBasis!: string;
  @ApiProperty() purpose!: string;
  @ApiProperty({ type: [String] }) fieldNames!: string[];
  @ApiProperty() occurredAt!: string;
}

@ApiTags('transfer log')
@Controller('transfer-log')
export class TransferLogController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @ApiOkResponse({ type: [TransferLogView], description: 'Every transfer of personal data for the case, oldest first' })
  async byCase(@Query() query: TransferLogQuery): Promise<TransferLogView[]> {
    const entries = await this.dataSource
      .getRepository(TransferLogEntry)
      .find({ where: { caseRef: query.caseRef }, order: { occurredAt: 'ASC', direction: 'DESC' } });
    return entries.map((entry) => ({
      caseRef: entry.caseRef,
      process: entry.process,
      flowId: entry.flowId,
      direction: entry.direction,
      counterpart: entry.counterpart,
      legalBasis: entry.legalBasis,
      purpose: entry.purpose,
      fieldNames: entry.fieldNames,
      occurredAt: entry.occurredAt.toISOString(),
    }));
  }
}
