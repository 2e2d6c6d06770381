import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AgencyConsent1764400000001 implements MigrationInterface {
  name = 'AgencyConsent1764400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE agency_consent_request (
        consent_request_id uuid PRIMARY KEY,
        case_ref text NOT NULL,
        workflow_id text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_at timestamptz,
        send_count int NOT NULL DEFAULT 0
      )`);
    await queryRunner.query(`CREATE INDEX agency_consent_request_by_case ON agency_consent_request (case_ref)`);
    await queryRunner.query(`
      CREATE TABLE agency_consent_answer (
        consent_request_id uuid PRIMARY KEY REFERENCES agency_consent_request (consent_request_id),
        outcome text NOT NULL CHECK (outcome IN ('CONSENT', 'OBJECTION')),
        objection_reason text,
        decided_by text NOT NULL,
        decided_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((outcome = 'OBJECTION') = (objection_reason IS NOT NULL))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE agency_consent_answer');
    await queryRunner.query('DROP TABLE agency_consent_request');
  }
}
