import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const views: { name: string; query: string }[] = JSON.parse(readFileSync(path.join(REPO_ROOT, 'scripts', 'lib', 'supervisor-views.json'), 'utf8'));
const SUPERVISORS_PAGE = 'docs/supervisors.md';
const supervisorsPage = readFileSync(path.join(REPO_ROOT, SUPERVISORS_PAGE), 'utf8');
const viewLink = (query: string) => `http://localhost:8233/namespaces/default/workflows?query=${encodeURIComponent(query).replace(/%27/g, "'")}`;

/** The views `npm start` prints are the ones the supervisors' page (docs/supervisors.md) offers, link for link. */
describe("the supervisors' ready-made views", () => {
  it.each(views.map((view) => [view.name, view.query]))(`${SUPERVISORS_PAGE} links "%s"`, (name, query) => {
    expect(supervisorsPage).toContain(`| ${name} | \`${query}\` | [open](${viewLink(query)}) |`);
  });

  it(`are the only views ${SUPERVISORS_PAGE} links into the Web UI`, () => {
    const linked = [...supervisorsPage.matchAll(/\]\((http:\/\/localhost:8233\/namespaces\/[^)]*\?query=[^)]*)\)/g)].map((match) => match[1]);
    expect(linked).toEqual(views.map((view) => viewLink(view.query)));
  });

  it('cover stuck by each domain, overdue, escalated to level 2 or higher and one case', () => {
    const queries = views.map((view) => view.query);
    for (const domain of ['immigration', 'job-centre', 'social-services', 'employment-agency-gateway']) {
      expect(queries).toContain(`Stuck = true AND WaitingOn = '${domain}'`);
    }
    expect(queries).toEqual(expect.arrayContaining(['Stuck = true', "StuckReason = 'deadline-passed'", 'EscalationLevel >= 2']));
    expect(queries.some((query) => query.startsWith('CaseRef = '))).toBe(true);
  });
});
