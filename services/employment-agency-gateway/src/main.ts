import 'reflect-metadata';
import { runService } from '@handoffs/service-kit';
import { AppModule } from './app.module';
import { agencyListenerOptions, agencyTransportSettings } from './agency-referral/agency-transport';

// A hybrid app: HTTP, plus the TCP listener on which the agency's answers arrive.
const transport = agencyTransportSettings();
void runService('employment-agency-gateway', (config) => AppModule.forRoot(config, transport), {
  microservices: () => [agencyListenerOptions(transport)],
});
