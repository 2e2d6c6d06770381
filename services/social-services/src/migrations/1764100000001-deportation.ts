import type { MigrationInterface, QueryRunner } from 'typeorm';

/** P2: the KSD's participation record (assignment, time-boxed date) and the AsylbLG benefit end per deportation case. */
export class Deportation1764100000001 implements MigrationInterface {
  name = 'Deportation1764100000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE deportation_participation (
        case_ref text PRIMARY KEY,
        workflow_id text NOT NULL,
        state text NOT NULL CHECK (state IN ('participated', 'released')),
        social_worker jsonb,
        finding text NOT NULL CHECK (finding IN ('no-concern', 'concern')),
        concern_reason text,
        recorded_at timestamptz NOT NULL,
        planned_at timestamptz,
        date_visible_from timestamptz,
        date_visible_until timestamptz,
        released_at timestamptz,
        release_reason text
      )`);
    await queryRunner.query(`
      CREATE TABLE deportation_asylblg_benefit (
        case_ref text PRIMARY KEY,
        workflow_id text NOT NULL,
        state text NOT NULL CHECK (state IN ('ending', 'ended', 'restored')),
        ends_on date,
        restored_at timestamptz,
        restore_reason text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE deportation_asylblg_benefit');
    await queryRunner.query('DROP TABLE deportation_participation');
  }
}
