import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LegalDomainTransfer1764200000002 implements MigrationInterface {
  name = 'LegalDomainTransfer1764200000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sgb2_application (
        case_ref text PRIMARY KEY,
        workflow_id text NOT NULL UNIQUE,
        asylblg_end date NOT NULL,
        starts_on date NOT NULL,
        filed_on date NOT NULL,
        handed_over_by jsonb NOT NULL,
        state text NOT NULL CHECK (state IN ('received', 'advance-paid', 'decided')),
        outcome text CHECK (outcome IN ('SGB2_ACTIVE', 'NO_NEED', 'PENDING_DECISION')),
        advance jsonb,
        decision jsonb,
        award_from date,
        award_until date,
        decided_by jsonb,
        decided_at timestamptz,
        rule_set_version text,
        CONSTRAINT sgb2_starts_day_after_asylblg CHECK (starts_on = asylblg_end + 1),
        CONSTRAINT sgb2_award_from_start CHECK (award_from IS NULL OR award_from = starts_on)
      )`);
    await queryRunner.query(`
      CREATE TABLE reimbursement_claim (
        workflow_id text PRIMARY KEY,
        case_ref text NOT NULL,
        claimant text NOT NULL,
        days_from date NOT NULL,
        days_to date NOT NULL,
        day_count int NOT NULL CHECK (day_count > 0),
        assert_by date NOT NULL,
        legal_basis text NOT NULL,
        received_at timestamptz NOT NULL,
        CONSTRAINT reimbursement_days_ordered CHECK (days_from <= days_to)
      )`);
    await queryRunner.query('CREATE INDEX reimbursement_claim_by_case ON reimbursement_claim (case_ref)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE reimbursement_claim');
    await queryRunner.query('DROP TABLE sgb2_application');
  }
}
