// The demo scenario `npm start` loads, driven through the services' HTTP APIs exactly as
// caseworkers would: handoffs of all four processes, completed ones, ones waiting inside their
// deadline, and within a minute stuck ones of every reason (DESIGN §4). Fixed case references
// make it idempotent: on a restart it finds its handoffs and adds none.
// Run on its own against running services: `node scripts/demo.mjs [main|outage]` (see `runFromCommandLine`).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { serviceEntry } from './lib/service-roster.mjs';

/** The demo's fictitious people by case reference, kept with the test fixtures: the one list, which the personal-data scan reads too. */
const DEMO_PEOPLE = JSON.parse(readFileSync(new URL('../libs/testing/src/demo-people.json', import.meta.url), 'utf8'));

/** A person's identifiers as a request carries them. */
function subjectOf(caseRef, fields) {
  const person = DEMO_PEOPLE[caseRef];
  if (!person) throw new Error(`demo: no person for ${caseRef} in demo-people.json`);
  return Object.fromEntries(fields.map((field) => [field, person[field]]));
}

/**
 * What the services and the agency simulator run with in the demo, so that stuck handoffs show
 * within a minute: short answer and agency deadlines, steps stuck after 20 s or three attempts,
 * and an agency whose career-guidance desk stays silent and whose rehabilitation intake fails.
 * Settings in the environment win.
 */
export const DEMO_SETTINGS = {
  SLA_OVERRIDES: JSON.stringify({ 'status-inquiry-answer': '30 seconds', 'agency-decision': '40 seconds' }),
  STEP_PICKUP_WITHIN: '20 seconds',
  STEP_FAILING_AFTER_ATTEMPTS: '3',
  AGENCY_SILENT_PROGRAMMES: 'career-guidance',
  AGENCY_FAILING_PROGRAMMES: 'rehabilitation',
};

/** The deportation case that is started while social services is down: it shows domain-unavailable. */
export const OUTAGE_CASE = 'ABH-2026-D0003';
const DEMO = [
  { caseRef: 'DEMO-2026-0001', answer: 'ALLOWED' },
  { caseRef: 'DEMO-2026-0002', answer: 'RESTRICTED' },
  { caseRef: 'DEMO-2026-0003', answer: 'PROHIBITED' },
  { caseRef: 'DEMO-2026-0004' },
  { caseRef: 'DEMO-2026-0005' },
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

async function inboxTask(service, caseRef, kind = 'status-inquiry') {
  for (let attempt = 0; attempt < 150; attempt++) {
    for (const state of ['open', 'completed']) {
      const { body } = await call(service, 'GET', `/inbox/tasks?kind=${kind}&state=${state}`);
      const task = body.find((t) => t.caseRef === caseRef);
      if (task) return task;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`demo: no ${kind} task appeared for ${caseRef}`);
}

async function mustStart(service, path, body) {
  const started = await call(service, 'POST', path, body);
  if (started.status !== 202 && started.status !== 200) {
    throw new Error(`demo: ${path} refused ${body.caseRef} (${started.status}: ${JSON.stringify(started.body?.errors ?? started.body?.detail)})`);
  }
}

function lastDayOfThisMonth() {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

const isoDay = (offsetDays) => new Date(Date.now() + offsetDays * 24 * 3600 * 1000).toISOString().slice(0, 10);

/** P2: one family's case waiting for the KSD, one the KSD has seen without concern. */
async function loadDeportations({ immigration, socialServices }) {
  for (const [caseRef, participate] of [['ABH-2026-D0001', false], ['ABH-2026-D0002', true]]) {
    await mustStart(immigration, '/deportations', {
      caseRef,
      caseworkerId: 'abh.demo',
      childrenAges: [4, 9],
      vulnerabilities: ['school-age-children'],
      plannedDate: isoDay(21),
    });
    if (!participate) continue;
    const task = await inboxTask(socialServices, caseRef, 'child-welfare-participation');
    if (task.state === 'open') {
      await call(socialServices, 'POST', `/inbox/tasks/${task.id}/participation`, { caseworkerId: 'ksd.demo', finding: 'no-concern' });
    }
  }
}

/** P3a: one recognition waiting for social services' effective date, one waiting for the job centre's decision. */
async function loadLegalDomainTransfers({ socialServices }) {
  for (const [caseRef, confirm] of [['SA-2026-D0001', false], ['SA-2026-D0002', true]]) {
    await mustStart(socialServices, '/legal-domain-transfers', {
      caseRef,
      caseworkerId: 'sa.demo',
      recognition: { kind: 'refugee-status', servedOn: isoDay(-2) },
      asylblg: { since: '2025-03-01', payments: [{ from: `${isoDay(0).slice(0, 8)}01`, to: lastDayOfThisMonth() }] },
    });
    if (!confirm) continue;
    const task = await inboxTask(socialServices, caseRef, 'effective-date-confirmation');
    if (task.state === 'open') {
      await call(socialServices, 'POST', `/inbox/tasks/${task.id}/effective-date`, { caseworkerId: 'sa.demo', effectiveDate: isoDay(-2) });
    }
  }
}

/**
 * P3b: referrals of job-centre clients to an agency programme, answered by the agency simulator:
 * one accepted, one where the agency asks for information, one to the silent career-guidance desk
 * (external-silent once the agency's 40 s are up) and one to the failing rehabilitation intake (step-failing).
 */
async function loadAgencyReferrals({ jobCentre }) {
  const referrals = [
    ['DEMO-2026-0001', 'competence-assessment', 'B1'],
    ['DEMO-2026-0002', 'competence-assessment', undefined],
    ['DEMO-2026-0006', 'career-guidance', 'B2'],
    ['DEMO-2026-0007', 'rehabilitation', 'A2'],
  ];
  for (const [caseRef, programme, languageLevel] of referrals) {
    await mustStart(jobCentre, '/agency-referrals', {
      caseRef,
      caseworkerId: 'jc.demo',
      programme,
      subject: subjectOf(caseRef, ['baCustomerNumber', 'familyName', 'givenNames', 'dateOfBirth']),
      ...(languageLevel ? { languageLevel } : {}),
    });
  }
}

export async function loadDemo({ immigration, jobCentre, socialServices }, log = console.log) {
  for (const { caseRef, answer } of DEMO) {
    const subject = subjectOf(caseRef, ['familyName', 'givenNames', 'dateOfBirth']);
    const request = { caseRef, caseworkerId: 'jc.demo', subject, questions: ['employment-permitted', 'document-validity'] };
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
  await loadDeportations({ immigration, socialServices });
  await loadLegalDomainTransfers({ socialServices });
  await loadAgencyReferrals({ jobCentre });
  log('Demo: 2 deportation cases (one waiting for the KSD), 2 legal-domain transfers, 4 agency referrals (one to a silent desk, one to a failing intake)');
}

/** Whether the outage case is still to be shown: it is started once, on an empty database. */
export async function outageCaseMissing({ immigration }) {
  return (await call(immigration, 'GET', `/deportations/${OUTAGE_CASE}`)).status === 404;
}

/**
 * P2 while social services is down: the participation task cannot reach the KSD's inbox, so the
 * deportation shows domain-unavailable after 20 s, and clears once social services is back.
 */
export async function loadOutageCase({ immigration }, log = console.log) {
  await mustStart(immigration, '/deportations', {
    caseRef: OUTAGE_CASE,
    caseworkerId: 'abh.demo',
    childrenAges: [7],
    vulnerabilities: ['school-age-children'],
    plannedDate: isoDay(28),
  });
  log(`Demo: deportation ${OUTAGE_CASE} started while social services is down`);
}

const localUrl = (service) => `http://127.0.0.1:${serviceEntry(service).port}`;

/** `node scripts/demo.mjs [main|outage]`, against services at IMMIGRATION_URL, JOB_CENTRE_URL and SOCIAL_SERVICES_URL (default: their ports in the roster, here). */
async function runFromCommandLine(phase = 'main') {
  const urls = {
    immigration: process.env.IMMIGRATION_URL ?? localUrl('immigration'),
    jobCentre: process.env.JOB_CENTRE_URL ?? localUrl('job-centre'),
    socialServices: process.env.SOCIAL_SERVICES_URL ?? localUrl('social-services'),
  };
  if (phase === 'main') await loadDemo(urls);
  else if (phase === 'outage') await loadOutageCase(urls);
  else throw new Error(`demo: unknown phase "${phase}" (main or outage)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runFromCommandLine(process.argv[2]).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
