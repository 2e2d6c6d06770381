import { Column, CreateDateColumn, type ObjectLiteral } from 'typeorm';

/** What the gateway records of each request it sends to the agency. No personal data: that only passes through. */
export abstract class AgencyRequestRecord {
  @Column({ name: 'case_ref', type: 'text' })
  caseRef!: string;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'send_count', type: 'int', default: 0 })
  sendCount!: number;
}

/** The agency's first answer to a request, as it arrived at the gateway's listener. */
export abstract class AgencyAnswerRecord<Outcome extends string = string> {
  @Column({ type: 'text' })
  outcome!: Outcome;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt!: Date;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}

/** One kind of request to the agency as the gateway records it: the requests sent, their answers, and the key both tables share. */
export interface AgencyExchange<Key extends ObjectLiteral, Request extends AgencyRequestRecord, Answer extends AgencyAnswerRecord> {
  requests: new () => Request;
  answers: new () => Answer;
  /** The key of a request or of its answer. */
  keyOf(message: Key): Key;
  /** How logs and failures name a request: IDs only. */
  nameOf(key: Key): string;
}
