import { Client as PgClient } from 'pg';

/** A kind of record that must exist at most once per natural key, and the key. */
export interface KeyedRecord {
  what: string;
  table: string;
  key: string[];
}

const DOMAIN_SCHEMAS = ['immigration', 'job_centre', 'social_services', 'employment_agency_gateway'];

/**
 * What a fault must never double: every domain's inbox tasks (one per handoff and task kind) and
 * transfer-log rows (one per handoff, flow and direction); the benefit records (AsylbLG per case and
 * per handoff, its end after a deportation, the SGB II application, the reimbursement claim); and
 * the gateway's records of what the agency was sent and answered (the simulator resends answers).
 */
export const KEYED_RECORDS: KeyedRecord[] = [
  ...DOMAIN_SCHEMAS.flatMap((schema) => [
    { what: `inbox task (${schema})`, table: `${schema}.inbox_task`, key: ['workflow_id', 'kind'] },
    { what: `transfer-log row (${schema})`, table: `${schema}.transfer_log`, key: ['workflow_id', 'flow_id', 'direction'] },
  ]),
  { what: 'AsylbLG benefit, per case', table: 'social_services.asylblg_benefit', key: ['case_ref'] },
  { what: 'AsylbLG benefit, per handoff', table: 'social_services.asylblg_benefit', key: ['workflow_id'] },
  { what: 'AsylbLG benefit ended by a deportation', table: 'social_services.deportation_asylblg_benefit', key: ['case_ref'] },
  { what: 'SGB II application, per case', table: 'job_centre.sgb2_application', key: ['case_ref'] },
  { what: 'SGB II application, per handoff', table: 'job_centre.sgb2_application', key: ['workflow_id'] },
  { what: 'reimbursement claim', table: 'job_centre.reimbursement_claim', key: ['workflow_id'] },
  { what: "referral sent to the agency (per round)", table: 'employment_agency_gateway.agency_submission', key: ['referral_id', 'round'] },
  { what: "agency's decision on a referral (per round)", table: 'employment_agency_gateway.agency_decision', key: ['referral_id', 'round'] },
  { what: 'consent request to the agency', table: 'employment_agency_gateway.agency_consent_request', key: ['consent_request_id'] },
  { what: "agency's answer to a consent request", table: 'employment_agency_gateway.agency_consent_answer', key: ['consent_request_id'] },
];

/** Runs `work` on a connection of its own: the test's long-lived one does not survive a PostgreSQL restart. */
export async function withDatabase<T>(databaseUrl: string, work: (db: PgClient) => Promise<T>): Promise<T> {
  const db = new PgClient({ connectionString: databaseUrl });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/** Every natural key held by more than one record, as `<what> <key values> ×<count>`. */
export async function recordedTwice(db: PgClient): Promise<string[]> {
  const found: string[] = [];
  for (const { what, table, key } of KEYED_RECORDS) {
    const columns = key.join(', ');
    const { rows } = await db.query(`SELECT ${columns}, count(*)::int AS n FROM ${table} GROUP BY ${columns} HAVING count(*) > 1`);
    found.push(...rows.map((row: Record<string, unknown>) => `${what} ${key.map((column) => String(row[column])).join(' / ')} ×${row.n}`));
  }
  return found;
}

/** The records whose natural key the database itself does not hold unique: a unique index (or primary key) on exactly those columns. */
export async function keysNotEnforced(db: PgClient): Promise<string[]> {
  const missing: string[] = [];
  for (const { what, table, key } of KEYED_RECORDS) {
    const [schema, name] = table.split('.');
    const { rows } = await db.query<{ columns: string[] }>(
      `SELECT array_agg(a.attname::text) AS columns
         FROM pg_index i
         JOIN pg_class c ON c.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
        WHERE i.indisunique AND i.indpred IS NULL AND n.nspname = $1 AND c.relname = $2
        GROUP BY i.indexrelid`,
      [schema, name],
    );
    const wanted = [...key].sort().join(',');
    if (!rows.some(({ columns }) => [...columns].sort().join(',') === wanted)) missing.push(`${what}: no unique index on ${table} (${key.join(', ')})`);
  }
  return missing;
}

/**
 * How the benefit records of `caseRefs` ended, counted: AsylbLG and the SGB II application of each
 * legal-domain transfer, the reimbursement claims, and the AsylbLG end of each deportation.
 */
export async function benefitOutcomes(db: PgClient, caseRefs: string[]): Promise<Record<string, number>> {
  const { rows } = await db.query<{ record: string; n: number }>(
    `SELECT 'AsylbLG ' || state AS record, count(*)::int AS n FROM social_services.asylblg_benefit WHERE case_ref = ANY ($1) GROUP BY 1
     UNION ALL SELECT 'SGB II ' || state, count(*)::int FROM job_centre.sgb2_application WHERE case_ref = ANY ($1) GROUP BY 1
     UNION ALL SELECT 'reimbursement claim', count(*)::int FROM job_centre.reimbursement_claim WHERE case_ref = ANY ($1)
     UNION ALL SELECT 'AsylbLG ' || state || ' (deportation)', count(*)::int FROM social_services.deportation_asylblg_benefit WHERE case_ref = ANY ($1) GROUP BY 1`,
    [caseRefs],
  );
  return Object.fromEntries(rows.map(({ record, n }) => [record, n]));
}
