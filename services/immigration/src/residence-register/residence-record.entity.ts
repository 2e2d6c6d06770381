import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EmploymentPermission, ResidenceDocument, ResidenceObligation } from '@handoffs/contracts';

/** The immigration office's current record of a person's residence status, keyed by AZR-Nummer. */
@Entity('residence_record')
export class ResidenceRecord {
  @PrimaryColumn({ name: 'azr_number', type: 'text' })
  azrNumber!: string;

  @Column({ name: 'family_name', type: 'text' })
  familyName!: string;

  @Column({ name: 'date_of_birth', type: 'date' })
  dateOfBirth!: string;

  @Column({ name: 'residence_document', type: 'text' })
  residenceDocument!: ResidenceDocument;

  @Column({ name: 'legal_basis', type: 'text' })
  legalBasis!: string;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  @Column({ name: 'valid_until', type: 'date' })
  validUntil!: string;

  @Column({ name: 'employment_permission', type: 'text' })
  employmentPermission!: EmploymentPermission;

  @Column({ name: 'employment_restriction', type: 'text', nullable: true })
  employmentRestriction!: string | null;

  @Column({ name: 'residence_obligation', type: 'jsonb', nullable: true })
  residenceObligation!: ResidenceObligation | null;

  @Column({ name: 'verified_at', type: 'timestamptz' })
  verifiedAt!: Date;

  @Column({ name: 'verified_by', type: 'text' })
  verifiedBy!: string;
}
