// The supervisors' search attributes (libs/contracts/src/search-attributes.json) in a Temporal
// namespace: which are missing, and registering them; for the dev server and the full server alike.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths.mjs';

const execFileAsync = promisify(execFile);

export function searchAttributes() {
  const file = path.join(repoRoot(), 'libs', 'contracts', 'src', 'search-attributes.json');
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export async function missingSearchAttributes(cli, address, attributes, namespace = 'default') {
  const { stdout } = await execFileAsync(cli, ['operator', 'search-attribute', 'list', '--address', address, '--namespace', namespace, '-o', 'json'], {
    timeout: 10_000,
  });
  const registered = JSON.parse(stdout).customAttributes ?? {};
  return attributes.filter(({ name, type }) => registered[name] !== indexedValueType(type));
}

// KeywordList -> INDEXED_VALUE_TYPE_KEYWORD_LIST
function indexedValueType(type) {
  return `INDEXED_VALUE_TYPE_${type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

// The dev server only registers search attributes when it creates the database,
// so ones added to search-attributes.json later are registered here.
export async function registerMissingSearchAttributes(cli, address, attributes, log, { namespace = 'default', startAfresh = 'delete the database file to start afresh' } = {}) {
  const missing = await missingSearchAttributes(cli, address, attributes, namespace);
  if (missing.length === 0) return;
  log(`Temporal: registering search attributes ${missing.map(({ name }) => name).join(', ')}`);
  const pairs = missing.flatMap(({ name, type }) => ['--name', name, '--type', type]);
  try {
    await execFileAsync(cli, ['operator', 'search-attribute', 'create', '--address', address, '--namespace', namespace, ...pairs], { timeout: 30_000 });
  } catch (error) {
    throw new Error(`could not register search attributes (${error.stderr?.trim() || error.message}); ${startAfresh}`);
  }
}
