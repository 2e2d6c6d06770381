import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const views: { name: string; query: string }[] = JSON.parse(readFileSync(path.join(REPO_ROOT, 'scripts', 'lib', 'supervisor-views.json'), 'utf8'));
const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

/** The views `npm start` prints are the ones README offers supervisors, link for link. */
describe("the supervisors' ready-made views", () => {
  it.each(views.map((view) => [view.name, view.query]))('README links "%s"', (name, query) => {
    const link = `http://localhost:8233/namespaces/default/workflows?query=${encodeURIComponent(query).replace(/%27/g, "'")}`;
    expect(readme).toContain(`| ${name} | \`${query}\` | [open](${link}) |`);
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
