import {
  agencyReferralWorkflow,
  deportationWorkflow,
  legalDomainTransferWorkflow,
  statusClarificationWorkflow,
  type SignatureOf,
} from '@handoffs/workflows/messages';
import * as workflows from './index';

// The signatures services start the processes by are the workflows' own (checked by the compiler).
const signatures: [
  SignatureOf<typeof agencyReferralWorkflow>,
  SignatureOf<typeof deportationWorkflow>,
  SignatureOf<typeof legalDomainTransferWorkflow>,
  SignatureOf<typeof statusClarificationWorkflow>,
] = [workflows.agencyReferral, workflows.deportation, workflows.legalDomainTransfer, workflows.statusClarification];

describe('the workflow types in the messages', () => {
  it.each([agencyReferralWorkflow, deportationWorkflow, legalDomainTransferWorkflow, statusClarificationWorkflow].map((type) => [type.name]))(
    '%s names a workflow the bundle exports, with the signature services start it by',
    (name) => {
      const exported = (workflows as Record<string, unknown>)[name];
      expect(typeof exported).toBe('function');
      expect(signatures).toContain(exported);
    },
  );
});
