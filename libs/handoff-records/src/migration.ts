import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox and transfer-log tables every domain keeps. Each service's first migration calls this
 * inside its own schema (the connection's search_path), so no service touches another's tables.
 */
export async function createHandoffRecordTables(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE inbox_task (
      id uuid PRIMARY KEY,
      workflow_id text NOT NULL,
      case_ref text NOT NULL,
      process text NOT NULL,
      kind text NOT NULL,
      state text NOT NULL CHECK (state IN ('open', 'completed', 'withdrawn')),
      due_at timestamptz NOT NULL,
      details jsonb NOT NULL,
      completed_by jsonb,
      resolution jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz,
      CONSTRAINT inbox_task_once_per_handoff UNIQUE (workflow_id, kind)
    )`);
  await queryRunner.query(`CREATE INDEX inbox_task_open_by_due ON inbox_task (state, due_at)`);
  await queryRunner.query(`CREATE INDEX inbox_task_by_case ON inbox_task (case_ref)`);
  await queryRunner.query(`
    CREATE TABLE transfer_log (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      workflow_id text NOT NULL,
      case_ref text NOT NULL,
      process text NOT NULL,
      flow_id text NOT NULL,
      direction text NOT NULL CHECK (direction IN ('sent', 'received')),
      counterpart text NOT NULL,
      legal_basis text NOT NULL,
      purpose text NOT NULL,
      field_names text[] NOT NULL,
      occurred_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT transfer_logged_once UNIQUE (workflow_id, flow_id, direction)
    )`);
  await queryRunner.query(`CREATE INDEX transfer_log_by_case ON transfer_log (case_ref, occurred_at)`);
}

export async function dropHandoffRecordTables(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query('DROP TABLE transfer_log');
  await queryRunner.query('DROP TABLE inbox_task');
}

/** The first migration of every domain service: its inbox and transfer log, in its own schema. */
export class HandoffRecords1764000000000 implements MigrationInterface {
  name = 'HandoffRecords1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createHandoffRecordTables(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropHandoffRecordTables(queryRunner);
  }
}

/** Caseworkers claim inbox tasks, so that two do not work on the same one unknowingly. */
export class InboxClaims1764050000002 implements MigrationInterface {
  name = 'InboxClaims1764050000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE inbox_task ADD COLUMN claimed_by text, ADD COLUMN claimed_at timestamptz');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE inbox_task DROP COLUMN claimed_by, DROP COLUMN claimed_at');
  }
}

/** Every domain's inbox and transfer-log migrations, in order; each service runs them in its own schema. */
export const HANDOFF_RECORD_MIGRATIONS = [HandoffRecords1764000000000, InboxClaims1764050000002];
