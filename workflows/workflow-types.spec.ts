import * as workflows from './index';
import {
  agencyReferralWorkflow,
  deportationWorkflow,
  legalDomainTransferWorkflow,
  statusClarificationWorkflow,
  type AgencyReferralWorkflow,
  type DeportationWorkflow,
  type LegalDomainTransferWorkflow,
  type StatusClarificationWorkflow,
} from '@handoffs/workflows/messages';

// The signatures services start the processes by are the workflows' own (checked by the compiler).
const signatures: [AgencyReferralWorkflow, DeportationWorkflow, LegalDomainTransferWorkflow, StatusClarificationWorkflow] = [
  workflows.agencyReferral,
  workflows.deportation,
  workflows.legalDomainTransfer,
  workflows.statusClarification,
];

describe('the workflow types in the messages', () => {
  it.each([agencyReferralWorkflow, deportationWorkflow, legalDomainTransferWorkflow, statusClarificationWorkflow])(
    '%s names a workflow the bundle exports',
    (workflowType) => {
      const exported = (workflows as Record<string, unknown>)[workflowType];
      expect(typeof exported).toBe('function');
      expect(signatures).toContain(exported);
    },
  );
});
