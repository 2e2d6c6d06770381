import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StatusClarification1764000000001 implements MigrationInterface {
  name = 'StatusClarification1764000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE status_clarification (
        case_ref text PRIMARY KEY,
        workflow_id text NOT NULL UNIQUE,
        inquiry jsonb NOT NULL,
        requested_by jsonb NOT NULL,
        requested_at timestamptz NOT NULL,
        request_fingerprint text NOT NULL,
        state text NOT NULL CHECK (state IN ('requested', 'answered')),
        outcome text,
        answer jsonb,
        answered_by jsonb,
        answered_at timestamptz,
        valid_until date
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE status_clarification');
  }
}
