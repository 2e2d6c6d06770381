import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AgencyReferral1764300000001 implements MigrationInterface {
  name = 'AgencyReferral1764300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE agency_submission (
        referral_id uuid NOT NULL,
        round int NOT NULL CHECK (round >= 1),
        case_ref text NOT NULL,
        workflow_id text NOT NULL,
        programme text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_at timestamptz,
        send_count int NOT NULL DEFAULT 0,
        PRIMARY KEY (referral_id, round)
      )`);
    await queryRunner.query(`CREATE INDEX agency_submission_by_case ON agency_submission (case_ref)`);
    await queryRunner.query(`
      CREATE TABLE agency_decision (
        referral_id uuid NOT NULL,
        round int NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('ACCEPTED', 'REFUSED', 'NEEDS_INFO')),
        refusal_reason text,
        missing jsonb,
        decided_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (referral_id, round),
        FOREIGN KEY (referral_id, round) REFERENCES agency_submission (referral_id, round),
        CHECK ((outcome = 'REFUSED') = (refusal_reason IS NOT NULL))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE agency_decision');
    await queryRunner.query('DROP TABLE agency_submission');
  }
}
