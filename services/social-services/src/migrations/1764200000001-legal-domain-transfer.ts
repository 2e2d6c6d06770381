import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LegalDomainTransfer1764200000001 implements MigrationInterface {
  name = 'LegalDomainTransfer1764200000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE asylblg_benefit (
        case_ref text PRIMARY KEY,
        workflow_id text NOT NULL UNIQUE,
        recognition jsonb NOT NULL,
        reported_by jsonb NOT NULL,
        reported_at timestamptz NOT NULL,
        request_fingerprint text NOT NULL,
        since date NOT NULL,
        payments jsonb NOT NULL,
        state text NOT NULL CHECK (state IN ('running', 'ending', 'ended')),
        ends_on date,
        termination jsonb,
        reimbursement jsonb,
        CONSTRAINT asylblg_ends_on_month_end CHECK (ends_on IS NULL OR ends_on = (date_trunc('month', ends_on) + interval '1 month - 1 day')::date)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE asylblg_benefit');
  }
}
