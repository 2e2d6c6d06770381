import { describeDomainServiceBasics, startInProcess, type InProcessService } from '@handoffs/service-kit/testing';
import { AppModule } from './app.module';

describe('employment-agency-gateway service', () => {
  let service: InProcessService;
  beforeAll(async () => {
    service = await startInProcess('employment-agency-gateway', (config) => AppModule.forRoot(config));
  });
  afterAll(() => service?.app.close());

  describeDomainServiceBasics(() => service);
});
