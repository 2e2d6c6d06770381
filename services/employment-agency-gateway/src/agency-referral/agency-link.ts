import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ClientTCP } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import {
  AGENCY_TRANSPORT_PATTERNS,
  type AgencyConsentReceipt,
  type AgencyConsentRequest,
  type AgencyReceipt,
  type AgencyReferral,
} from '@handoffs/contracts';
import type { AgencyTransportSettings } from './agency-transport';

/** The gateway's client towards the agency's system. Reconnects by itself when the agency comes back. */
@Injectable()
export class AgencyLink implements OnApplicationShutdown {
  private readonly client: ClientTCP;

  constructor(private readonly settings: AgencyTransportSettings) {
    this.client = new ClientTCP({ host: settings.agencyHost, port: settings.agencyPort });
  }

  /** Sends the referral and resolves with the agency's receipt; rejects if the agency cannot be reached. */
  async submit(referral: AgencyReferral): Promise<AgencyReceipt> {
    return firstValueFrom(
      this.client
        .send<AgencyReceipt, AgencyReferral>(AGENCY_TRANSPORT_PATTERNS.submitReferral, referral)
        .pipe(timeout(this.settings.sendTimeoutMs)),
    );
  }

  /** Sends a request for consent to an employment and resolves with the agency's receipt. */
  async requestConsent(request: AgencyConsentRequest): Promise<AgencyConsentReceipt> {
    return firstValueFrom(
      this.client
        .send<AgencyConsentReceipt, AgencyConsentRequest>(AGENCY_TRANSPORT_PATTERNS.requestConsent, request)
        .pipe(timeout(this.settings.sendTimeoutMs)),
    );
  }

  onApplicationShutdown(): void {
    this.client.close();
  }
}
