import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createHandoffRecordTables, dropHandoffRecordTables } from '@handoffs/handoff-records';

export class HandoffRecords1764000000000 implements MigrationInterface {
  name = 'HandoffRecords1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createHandoffRecordTables(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropHandoffRecordTables(queryRunner);
  }
}
