import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AgencyReferral1764300000002 implements MigrationInterface {
  name = 'AgencyReferral1764300000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE agency_referral (
        case_ref text PRIMARY KEY,
        referral_id uuid NOT NULL UNIQUE,
        workflow_id text NOT NULL UNIQUE,
        programme text NOT NULL,
        subject jsonb NOT NULL,
        language_level text,
        requested_by jsonb NOT NULL,
        requested_at timestamptz NOT NULL,
        request_fingerprint text NOT NULL,
        state text NOT NULL CHECK (state IN ('precheck', 'sent', 'needs-info', 'accepted', 'refused')),
        work_permission text,
        round int NOT NULL DEFAULT 0,
        decided_round int,
        outcome text,
        refusal_reason text,
        missing jsonb,
        decided_at timestamptz,
        programme_carrier text NOT NULL DEFAULT 'job-centre' CHECK (programme_carrier IN ('job-centre', 'employment-agency'))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE agency_referral');
  }
}
