// The service roster for the scripts: which services there are, their ports and roles, read from
// libs/contracts/src/services.json, the one place they are written (the TypeScript side reads it
// through @handoffs/contracts).
import { readFileSync } from 'node:fs';

/** Every deployable service, in the roster's order. */
export const SERVICE_ROSTER = JSON.parse(readFileSync(new URL('../../libs/contracts/src/services.json', import.meta.url), 'utf8'));

/** Their names: the four domains' services, the codec server and the agency simulator. */
export const SERVICES = SERVICE_ROSTER.map(({ name }) => name);

export function serviceEntry(name) {
  const entry = SERVICE_ROSTER.find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`${name} is not in the service roster (libs/contracts/src/services.json)`);
  return entry;
}
