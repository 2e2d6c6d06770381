import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * Tools from Debian's packages that tests drive: Chromium for the browser test of the supervisor's
 * view (through playwright-core, which downloads no browser), docker-compose to validate the compose
 * file (no Docker engine needed for `config`).
 */
export const DEBIAN_TOOLS = {
  chromium: { package: 'chromium', path: '/usr/bin/chromium', override: 'CHROMIUM_PATH', purpose: 'the browser test of the supervisor view' },
  'docker-compose': { package: 'docker-compose', path: '/usr/bin/docker-compose', override: 'DOCKER_COMPOSE_PATH', purpose: 'validating docker-compose.yml' },
};

/**
 * Returns the tool's path: its override variable, else Debian's package, installed with apt-get when
 * it is missing and we run as root. Throws with what to do otherwise.
 */
export function ensureDebianTool(name, { log = console.error } = {}) {
  const tool = DEBIAN_TOOLS[name];
  const wanted = process.env[tool.override];
  if (wanted) {
    if (!fs.existsSync(wanted)) throw new Error(`${name}: ${tool.override} is ${wanted}, which does not exist`);
    return wanted;
  }
  if (fs.existsSync(tool.path)) return tool.path;

  if (process.getuid?.() !== 0) {
    throw new Error(
      `${name}: ${tool.path} is missing. ${tool.purpose} needs Debian's package ${tool.package}: ` +
        `run \`sudo apt-get install -y ${tool.package}\` (or set ${tool.override} to one of your own), then npm test again.`,
    );
  }
  log(`${name}: ${tool.path} is missing; installing Debian's package ${tool.package} (apt-get) for ${tool.purpose} …`);
  const apt = (...args) =>
    spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  // A fresh machine often has no package lists yet.
  if (!apt('install', '-y', tool.package) && !(apt('update') && apt('install', '-y', tool.package))) {
    throw new Error(`${name}: \`apt-get install -y ${tool.package}\` failed; install it by hand (or set ${tool.override}), then npm test again.`);
  }
  if (!fs.existsSync(tool.path)) throw new Error(`${name}: apt-get installed ${tool.package}, but ${tool.path} is still missing`);
  log(`${name}: installed ${tool.path}`);
  return tool.path;
}
