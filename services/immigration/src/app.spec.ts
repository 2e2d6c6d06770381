import { describeDomainServiceBasics, startInProcess, type InProcessService } from '@handoffs/service-kit/testing';
import { ANSWER_ALLOWED } from '@handoffs/testing';
import { AppModule } from './app.module';

describe('immigration service', () => {
  let service: InProcessService;
  beforeAll(async () => {
    service = await startInProcess('immigration', (config) => AppModule.forRoot(config));
  });
  afterAll(() => service?.app.close());

  describeDomainServiceBasics(() => service);

  describe('answering a status inquiry', () => {
    const unknownTask = '/inbox/tasks/5f0c8e1a-2b3d-4c5e-8f90-a1b2c3d4e5f6/answer';

    it('answers 404 for a task that does not exist', async () => {
      const response = await service.request('POST', unknownTask, { caseworkerId: 'abh.schmidt', answer: ANSWER_ALLOWED });
      expect(response.status).toBe(404);
      expect(response.contentType).toContain('application/problem+json');
    });

    it('names every bad field of an answer', async () => {
      const response = await service.request('POST', unknownTask, {
        caseworkerId: 'Frau Schmidt',
        answer: { ...ANSWER_ALLOWED, validFrom: '01.06.2025', residenceDocument: 'passport', residenceObligation: { land: '' } },
        comment: 'urgent',
      });
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'answer.residenceDocument',
        'answer.residenceObligation.land',
        'answer.residenceObligation.until',
        'answer.validFrom',
        'caseworkerId',
        'comment',
      ]);
    });

    it('answers malformed JSON with 400 problem+json', async () => {
      const response = await service.request('POST', unknownTask, '{"caseworkerId": "abh.schmidt",');
      expect(response).toMatchObject({ status: 400, body: { status: 400 } });
      expect(response.contentType).toContain('application/problem+json');
    });
  });
});
