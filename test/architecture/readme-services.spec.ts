import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** An entry of the roster of services, as far as README's table speaks of it. */
interface RosterService {
  name: string;
  title: string;
  port: number;
  homePage: string;
  transportPort?: number;
}

const roster: RosterService[] = JSON.parse(readFileSync(path.join(REPO_ROOT, 'libs', 'contracts', 'src', 'services.json'), 'utf8'));
const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

/** The body rows of README's table whose header's first cell is `firstHeader`, each as its cells. */
function tableRows(firstHeader: string): string[][] {
  const lines = readme.split('\n');
  const header = lines.findIndex((line) => line.startsWith(`| ${firstHeader} |`));
  if (header < 0) throw new Error(`README has no table headed "| ${firstHeader} |"`);
  const body = lines.slice(header + 2);
  const end = body.findIndex((line) => !line.startsWith('|'));
  return body.slice(0, end < 0 ? body.length : end).map((line) =>
    line
      .replace(/^\|/, '')
      .replace(/\|\s*$/, '')
      .split('|')
      .map((cell) => cell.trim()),
  );
}

const numbersIn = (text: string) => [...text.matchAll(/\b\d{4,5}\b/g)].map((match) => Number(match[0]));
const homeUrl = (service: RosterService) => `http://localhost:${service.port}${service.homePage}`;
/** The URL as a whole word: not the start of a longer path or port. */
const urlPattern = (url: string) => new RegExp(`${url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![\\w/:.-])`);

/** README's table of services and ports (`| service | address | TCP transport |`) is the roster's, row for row. */
describe("README's table of services and ports", () => {
  const rows = tableRows('service');
  const rosterPorts = roster.flatMap((service) => [service.port, ...(service.transportPort === undefined ? [] : [service.transportPort])]);

  it('reads a roster of services, each with a port and a home page', () => {
    expect(roster.length).toBeGreaterThan(0);
    for (const service of roster) {
      expect(service).toEqual(expect.objectContaining({ name: expect.any(String), title: expect.any(String), port: expect.any(Number) }));
      expect(service.homePage).toMatch(/^\//);
    }
  });

  it.each(roster.map((service) => [service.name, service]))('has a row for %s with its address and transport port', (_name, service) => {
    const matching = rows.filter(([, address]) => urlPattern(homeUrl(service)).test(address ?? ''));
    expect(matching).toHaveLength(1);
    const [, , transport = ''] = matching[0];
    expect(numbersIn(transport)).toEqual(service.transportPort === undefined ? [] : [service.transportPort]);
  });

  it('has no other row, and names no port that is not in the roster', () => {
    expect(rows).toHaveLength(roster.length);
    const named = rows.flatMap((cells) => numbersIn(cells.join(' ')));
    expect(named.filter((port) => !rosterPorts.includes(port))).toEqual([]);
  });

  it('gives every other local address in README to the infrastructure table (Temporal, PostgreSQL)', () => {
    const infrastructurePorts = tableRows('infrastructure').flatMap((cells) => numbersIn(cells.join(' ')));
    const addressed = [...readme.matchAll(/(?:localhost|127\.0\.0\.1):(\d+)/g)].map((match) => Number(match[1]));
    expect(addressed.filter((port) => !rosterPorts.includes(port) && !infrastructurePorts.includes(port))).toEqual([]);
  });
});
