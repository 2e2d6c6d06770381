// The demo scenario `npm start` loads: status clarifications at every stage, driven through the
// services' HTTP APIs exactly as caseworkers would. Fixed case references make it idempotent:
// on a restart it finds its handoffs and adds none.
const DEMO = [
  { caseRef: 'DEMO-2026-0001', subject: ['Haddad', 'Rami', '1991-03-14'], answer: 'ALLOWED' },
  { caseRef: 'DEMO-2026-0002', subject: ['Tesfaye', 'Liya', '1998-11-02'], answer: 'RESTRICTED' },
  { caseRef: 'DEMO-2026-0003', subject: ['Kovalenko', 'Olena', '1985-07-21'], answer: 'PROHIBITED' },
  { caseRef: 'DEMO-2026-0004', subject: ['Rahimi', 'Farid', '2001-01-30'] },
  { caseRef: 'DEMO-2026-0005', subject: ['Nguyen', 'Thi Mai', '1994-05-09'] },
];

const ANSWERS = {
  ALLOWED: { employmentPermission: 'ALLOWED' },
  RESTRICTED: { employmentPermission: 'ALLOWED', employmentRestriction: 'only with employer Ruhr Logistik GmbH' },
  PROHIBITED: { employmentPermission: 'PROHIBITED', residenceDocument: 'toleration', legalBasis: '§ 60a Abs. 2 AufenthG' },
};

async function call(base, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function inboxTask(immigration, caseRef) {
  for (let attempt = 0; attempt < 100; attempt++) {
    for (const state of ['open', 'completed']) {
      const { body } = await call(immigration, 'GET', `/inbox/tasks?kind=status-inquiry&state=${state}`);
      const task = body.find((t) => t.caseRef === caseRef);
      if (task) return task;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`demo: no inbox task appeared for ${caseRef}`);
}

export async function loadDemo({ immigration, jobCentre }, log = console.log) {
  for (const { caseRef, subject: [familyName, givenNames, dateOfBirth], answer } of DEMO) {
    const request = { caseRef, caseworkerId: 'jc.demo', subject: { familyName, givenNames, dateOfBirth }, questions: ['employment-permitted', 'document-validity'] };
    const started = await call(jobCentre, 'POST', '/status-clarifications', request);
    if (started.status !== 202 && started.status !== 200) {
      throw new Error(`demo: the job centre refused ${caseRef} (${started.status})`);
    }
    if (!answer) continue;
    const task = await inboxTask(immigration, caseRef);
    if (task.state === 'open') {
      await call(immigration, 'POST', `/inbox/tasks/${task.id}/answer`, {
        caseworkerId: 'abh.demo',
        answer: {
          residenceDocument: 'residence-permit',
          legalBasis: '§ 25 Abs. 2 AufenthG',
          validFrom: '2025-06-01',
          validUntil: '2028-05-31',
          ...ANSWERS[answer],
        },
      });
    }
  }
  log(`Demo: ${DEMO.length} status clarifications (${DEMO.filter((d) => d.answer).length} answered, ${DEMO.filter((d) => !d.answer).length} waiting in the immigration office's inbox)`);
}
