import type { MigrationInterface, QueryRunner } from 'typeorm';

/** P2: the immigration office's deportation case record; the date columns are need-to-know (enforcement only). */
export class DeportationCase1764100000002 implements MigrationInterface {
  name = 'DeportationCase1764100000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE deportation_case (
        case_ref text PRIMARY KEY,
        workflow_id text NOT NULL UNIQUE,
        requested_by jsonb NOT NULL,
        requested_at timestamptz NOT NULL,
        request_fingerprint text NOT NULL,
        family jsonb NOT NULL,
        planned_date date NOT NULL,
        planned_at timestamptz,
        scheduled_by jsonb,
        night_override jsonb,
        state text NOT NULL CHECK (state IN ('open', 'executed', 'cancelled')),
        cancellation_reason text,
        departed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE deportation_case');
  }
}
