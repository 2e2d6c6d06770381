import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { AGENCY_PROGRAMMES, AGENCY_REFUSAL_REASONS, ISO_INSTANT_PATTERN, type AgencyProgramme, type AgencyRefusalReason } from '@handoffs/contracts';

export class ReferralStatisticsQuery {
  @ApiPropertyOptional({ enum: AGENCY_PROGRAMMES })
  @IsOptional()
  @IsIn(AGENCY_PROGRAMMES)
  programme?: AgencyProgramme;

  @ApiPropertyOptional({ description: 'Only referrals first submitted at or after this instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  // Strict ISO 8601 still lets through forms PostgreSQL cannot read as a timestamp (e.g. "2026-W01").
  @Matches(ISO_INSTANT_PATTERN, { message: 'since must be a date or a date and time with offset, e.g. 2026-01-15T10:00:00Z' })
  since?: string;
}

export class OutcomeCounts {
  @ApiProperty() ACCEPTED!: number;
  @ApiProperty() REFUSED!: number;
  @ApiProperty({ description: 'The agency asked for information and has not decided yet' }) NEEDS_INFO!: number;
  @ApiProperty({ description: 'Submitted, no answer yet' }) PENDING!: number;
}

export class ReferralStatisticsView {
  @ApiProperty() referrals!: number;
  @ApiProperty({ type: OutcomeCounts }) byOutcome!: OutcomeCounts;
  @ApiProperty({ description: 'Refusals by reason code', example: { 'language-level-below-entry': 2 } })
  refusalsByReason!: Record<AgencyRefusalReason, number>;
  @ApiPropertyOptional({ description: 'Accepted / (accepted + refused); null before any decision', nullable: true })
  acceptanceRate!: number | null;
}

/** Acceptance statistics, from the gateway's own record of submissions and the agency's answers. */
@ApiTags('agency referral')
@Controller('referrals')
export class ReferralStatisticsController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get('statistics')
  @ApiOkResponse({ type: ReferralStatisticsView, description: 'Each referral counted once, by its latest state' })
  @ApiBadRequestResponse({ description: 'Invalid filter (application/problem+json naming each bad field)' })
  async statistics(@Query() query: ReferralStatisticsQuery): Promise<ReferralStatisticsView> {
    const rows: { outcome: keyof OutcomeCounts | null; refusal_reason: AgencyRefusalReason | null; referrals: number }[] =
      await this.dataSource.query(
        `SELECT d.outcome, d.refusal_reason, count(*)::int AS referrals
           FROM (SELECT DISTINCT ON (referral_id) referral_id, round FROM agency_submission ORDER BY referral_id, round DESC) latest
           JOIN agency_submission first ON first.referral_id = latest.referral_id AND first.round = 1
           LEFT JOIN agency_decision d ON d.referral_id = latest.referral_id AND d.round = latest.round
          WHERE ($1::text IS NULL OR first.programme = $1) AND ($2::timestamptz IS NULL OR first.recorded_at >= $2)
          GROUP BY d.outcome, d.refusal_reason`,
        [query.programme ?? null, query.since ?? null],
      );
    const byOutcome: OutcomeCounts = { ACCEPTED: 0, REFUSED: 0, NEEDS_INFO: 0, PENDING: 0 };
    const refusalsByReason = Object.fromEntries(AGENCY_REFUSAL_REASONS.map((reason) => [reason, 0])) as Record<AgencyRefusalReason, number>;
    for (const row of rows) {
      byOutcome[row.outcome ?? 'PENDING'] += row.referrals;
      if (row.outcome === 'REFUSED' && row.refusal_reason) refusalsByReason[row.refusal_reason] += row.referrals;
    }
    const decided = byOutcome.ACCEPTED + byOutcome.REFUSED;
    return {
      referrals: Object.values(byOutcome).reduce((sum, n) => sum + n, 0),
      byOutcome,
      refusalsByReason,
      acceptanceRate: decided === 0 ? null : byOutcome.ACCEPTED / decided,
    };
  }
}
