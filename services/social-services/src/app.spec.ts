import { describeDomainServiceBasics, startInProcess, type InProcessService } from '@handoffs/service-kit/testing';
import { AppModule } from './app.module';

describe('social-services service', () => {
  let service: InProcessService;
  beforeAll(async () => {
    service = await startInProcess('social-services', (config) => AppModule.forRoot(config));
  });
  afterAll(() => service?.app.close());

  describeDomainServiceBasics(() => service);
});
