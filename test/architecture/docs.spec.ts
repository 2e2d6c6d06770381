import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const README = 'README.md';
const README_MAX_LINES = 250;

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

/** Every markdown page under `dir`, as a path from the repository's root. */
function markdownPages(dir: string): string[] {
  return readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return markdownPages(file);
    return entry.name.endsWith('.md') ? [file] : [];
  });
}

/** The lines outside fenced code blocks: a `#` in a code block is a shell comment, `[x](y)` there no link. */
function proseLines(markdown: string): string[] {
  let inFence = false;
  return markdown.split('\n').filter((line) => {
    if (/^\s*```/.test(line)) {
      inFence = !inFence;
      return false;
    }
    return !inFence;
  });
}

/** A heading's anchor as GitHub makes it: lowercase, punctuation dropped except `-` and `_`, each space a hyphen. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a markdown page's headings; a repeated one gets -1, -2, … as on GitHub. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of proseLines(markdown)) {
    const heading = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** The targets of a page's links that stay in the repository (no scheme): `file`, `file#anchor` or `#anchor`. */
function relativeLinks(file: string): string[] {
  const prose = proseLines(read(file))
    .join('\n')
    .replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
    .map((match) => match[1])
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('//'));
}

/** Where a link leads: the file (from the repository's root) and the anchor, if any. */
function resolveLink(from: string, target: string): { file: string; anchor?: string } {
  const [filePart, anchor] = target.split('#', 2);
  const file = filePart ? path.posix.normalize(path.posix.join(path.posix.dirname(from), decodeURI(filePart))) : from;
  return { file, anchor: anchor === undefined ? undefined : decodeURIComponent(anchor) };
}

/** What is wrong with a link: a file that is not there (or outside the repository), a heading that is not in it. */
function brokenBecause(from: string, target: string): string | undefined {
  const { file, anchor } = resolveLink(from, target);
  if (file.startsWith('../') || path.posix.isAbsolute(file)) return `${target}: leads outside the repository`;
  if (!existsSync(path.join(REPO_ROOT, file))) return `${target}: no file ${file}`;
  if (anchor !== undefined && file.endsWith('.md') && !anchorsOf(read(file)).has(anchor)) return `${target}: no heading #${anchor} in ${file}`;
  return undefined;
}

const PAGES = [README, ...markdownPages('docs')];

/** README is the front door; the rest is in docs/, one page per audience, and every link among them holds. */
describe('the documentation', () => {
  const readme = read(README);

  it(`README has at most ${README_MAX_LINES} lines`, () => {
    expect(readme.replace(/\n$/, '').split('\n').length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('README shows the two commands, npm start and npm test, in its first code block', () => {
    const firstBlock = /^```[^\n]*\n([\s\S]*?)^```/m.exec(readme);
    const commands = (firstBlock?.[1] ?? '').split('\n').map((line) => line.split('#')[0].trim());
    expect(commands).toEqual(expect.arrayContaining(['npm start', 'npm test']));
  });

  it('has pages under docs/', () => {
    expect(PAGES.length).toBeGreaterThan(1);
  });

  it.each(PAGES)('%s: every relative link leads to a file that exists, and every #anchor to a heading in it', (page) => {
    const broken = relativeLinks(page)
      .map((target) => brokenBecause(page, target))
      .filter((reason) => reason !== undefined);
    expect(broken).toEqual([]);
  });

  it('every page under docs/ is reachable from README, directly or through an index page', () => {
    const reached = new Set([README]);
    const queue = [README];
    for (let page = queue.shift(); page !== undefined; page = queue.shift()) {
      for (const target of relativeLinks(page)) {
        const { file } = resolveLink(page, target);
        if (!file.endsWith('.md') || reached.has(file) || !existsSync(path.join(REPO_ROOT, file))) continue;
        reached.add(file);
        queue.push(file);
      }
    }
    expect(PAGES.filter((page) => !reached.has(page))).toEqual([]);
  });

  it('makes anchors as GitHub does', () => {
    const anchors = anchorsOf(
      ['# The cluster shape on this machine: `npm run start:cluster`', '## What every office\'s service offers', '## Setup', '## Setup', '```sh', '# a comment', '```'].join('\n'),
    );
    expect([...anchors]).toEqual(['the-cluster-shape-on-this-machine-npm-run-startcluster', 'what-every-offices-service-offers', 'setup', 'setup-1']);
  });
});
