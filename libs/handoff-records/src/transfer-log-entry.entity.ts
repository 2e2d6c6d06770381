import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { Domain, Process, TransferDirection } from '@handoffs/contracts';

/** One transfer of personal data this domain sent or received: when, why, on which legal basis, which fields. */
@Entity('transfer_log')
@Unique('transfer_logged_once', ['workflowId', 'flowId', 'direction'])
export class TransferLogEntry {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  @Column({ name: 'case_ref', type: 'text' })
  caseRef!: string;

  @Column({ type: 'text' })
  process!: Process;

  @Column({ name: 'flow_id', type: 'text' })
  flowId!: string;

  @Column({ type: 'text' })
  direction!: TransferDirection;

  @Column({ type: 'text' })
  counterpart!: Domain;

  @Column({ name: 'legal_basis', type: 'text' })
  legalBasis!: string;

  @Column({ type: 'text' })
  purpose!: string;

  @Column({ name: 'field_names', type: 'text', array: true })
  fieldNames!: string[];

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
