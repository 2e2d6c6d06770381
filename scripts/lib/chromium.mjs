import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** Debian's Chromium, which the browser test drives through playwright-core (which downloads no browser). */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * Returns the Chromium the browser test uses: CHROMIUM_PATH, else Debian's package `chromium`,
 * installed with apt-get when it is missing and we run as root. Throws with what to do otherwise.
 */
export function ensureChromium({ log = console.error } = {}) {
  const wanted = process.env.CHROMIUM_PATH;
  if (wanted) {
    if (!fs.existsSync(wanted)) throw new Error(`Chromium: CHROMIUM_PATH is ${wanted}, which does not exist`);
    return wanted;
  }
  if (fs.existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;

  if (process.getuid?.() !== 0) {
    throw new Error(
      `Chromium: ${DEBIAN_CHROMIUM} is missing. The browser test needs Debian's package chromium: ` +
        'run `sudo apt-get install -y chromium` (or set CHROMIUM_PATH to a Chromium of your own), then npm test again.',
    );
  }
  log(`Chromium: ${DEBIAN_CHROMIUM} is missing; installing Debian's package chromium (apt-get) …`);
  const apt = (...args) =>
    spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  // A fresh machine often has no package lists yet.
  if (!apt('install', '-y', 'chromium') && !(apt('update') && apt('install', '-y', 'chromium'))) {
    throw new Error('Chromium: `apt-get install -y chromium` failed; install it by hand (or set CHROMIUM_PATH), then npm test again.');
  }
  if (!fs.existsSync(DEBIAN_CHROMIUM)) throw new Error(`Chromium: apt-get installed chromium, but ${DEBIAN_CHROMIUM} is still missing`);
  log(`Chromium: installed ${DEBIAN_CHROMIUM}`);
  return DEBIAN_CHROMIUM;
}
