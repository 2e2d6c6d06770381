import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StatusClarificationWithdrawal1764050000001 implements MigrationInterface {
  name = 'StatusClarificationWithdrawal1764050000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE status_clarification DROP CONSTRAINT status_clarification_state_check`);
    await queryRunner.query(
      `ALTER TABLE status_clarification ADD CONSTRAINT status_clarification_state_check CHECK (state IN ('requested', 'answered', 'withdrawn'))`,
    );
    await queryRunner.query(`ALTER TABLE status_clarification ADD COLUMN withdrawal jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE status_clarification DROP COLUMN withdrawal`);
    await queryRunner.query(`ALTER TABLE status_clarification DROP CONSTRAINT status_clarification_state_check`);
    await queryRunner.query(`ALTER TABLE status_clarification ADD CONSTRAINT status_clarification_state_check CHECK (state IN ('requested', 'answered'))`);
  }
}
