import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ResidenceRegister1764050000000 implements MigrationInterface {
  name = 'ResidenceRegister1764050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE residence_record (
        azr_number text PRIMARY KEY,
        family_name text NOT NULL,
        date_of_birth date NOT NULL,
        residence_document text NOT NULL,
        legal_basis text NOT NULL,
        valid_from date NOT NULL,
        valid_until date NOT NULL CHECK (valid_until >= valid_from),
        employment_permission text NOT NULL,
        employment_restriction text,
        residence_obligation jsonb,
        verified_at timestamptz NOT NULL,
        verified_by text NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE residence_record');
  }
}
