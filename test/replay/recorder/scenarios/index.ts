import type { Scenario } from '../scenario';
import { AGENCY_REFERRAL_SCENARIOS } from './agency-referral';
import { DEPORTATION_SCENARIOS } from './deportation';
import { LEGAL_DOMAIN_TRANSFER_SCENARIOS } from './legal-domain-transfer';
import { STATUS_CLARIFICATION_SCENARIOS } from './status-clarification';

/** Every branch the recorder records, process by process: each one's history is test/replay/<process>/<branch>.json. */
export const SCENARIOS: readonly Scenario[] = [
  ...STATUS_CLARIFICATION_SCENARIOS,
  ...DEPORTATION_SCENARIOS,
  ...LEGAL_DOMAIN_TRANSFER_SCENARIOS,
  ...AGENCY_REFERRAL_SCENARIOS,
];
