import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { ClientTCP } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import {
  AGENCY_SYSTEM_ERROR,
  AGENCY_TRANSPORT_PATTERNS,
  AGENCY_UNREACHABLE,
  type AgencyConsentReceipt,
  type AgencyConsentRequest,
  type AgencyReceipt,
  type AgencyReferral,
} from '@handoffs/contracts';
import type { AgencyTransportSettings } from '../agency-referral/agency-transport';

/** The gateway's client towards the agency's system. Reconnects by itself when the agency comes back. */
@Injectable()
export class AgencyLink implements OnApplicationShutdown {
  private readonly client: ClientTCP;

  constructor(private readonly settings: AgencyTransportSettings) {
    this.client = new ClientTCP({ host: settings.agencyHost, port: settings.agencyPort });
  }

  /** Sends the referral and resolves with the agency's receipt; rejects if the agency cannot be reached. */
  async submit(referral: AgencyReferral): Promise<AgencyReceipt> {
    return this.send(AGENCY_TRANSPORT_PATTERNS.submitReferral, referral);
  }

  /** Sends a request for consent to an employment and resolves with the agency's receipt. */
  async requestConsent(request: AgencyConsentRequest): Promise<AgencyConsentReceipt> {
    return this.send(AGENCY_TRANSPORT_PATTERNS.requestConsent, request);
  }

  private async send<Receipt>(pattern: string, message: unknown): Promise<Receipt> {
    return firstValueFrom(this.client.send<Receipt>(pattern, message).pipe(timeout(this.settings.sendTimeoutMs)));
  }

  onApplicationShutdown(): void {
    this.client.close();
  }
}

/**
 * A failed send, retried by Temporal: the agency's system may be down for a while. Not reaching it at
 * all (refused connection, no answer in time) is `AgencyUnreachable`, so the handoff counts as
 * external-silent; an error the agency's system answers with is `AgencySystemError`, a failing step.
 */
export function agencySendFailure(what: string, error: unknown): ApplicationFailure {
  if (isAgencyAnswer(error)) {
    return ApplicationFailure.retryable(`The agency's system answered ${what} with an error: ${String(error.message ?? error.status)}`, AGENCY_SYSTEM_ERROR);
  }
  const reason = error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error) ? (error as Error).message : String(error);
  return ApplicationFailure.retryable(`The agency's system did not take ${what}: ${reason}`, AGENCY_UNREACHABLE);
}

/**
 * An error the agency's system sent back over the transport (an RpcException there: `{ status, message }`),
 * as opposed to a socket error or a timeout on the way, which carry a `code` or a name of their own.
 */
function isAgencyAnswer(error: unknown): error is { status: string; message?: unknown } {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'string' && !('code' in error) && !('stack' in error);
}
