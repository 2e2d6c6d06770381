// The secrets of payload encryption on one machine: the key set and the codec server's supervisor
// token. `npm start` keeps them in .data/ (mode 0600) so that workflows written before a restart
// still decode; `npm test` makes fresh ones every run.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** `<id>:<base64 of 32 random bytes>`, one entry of PAYLOAD_ENCRYPTION_KEYS. */
export function newPayloadKey(id) {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export function newSupervisorToken() {
  return randomBytes(32).toString('base64url');
}

/** One entry of CODEC_SUPERVISOR_TOKEN_HASHES: the codec server keeps only the token's hash. */
export function supervisorTokenHash(supervisorId, token) {
  return `${supervisorId}:${createHash('sha256').update(token).digest('hex')}`;
}

function kept(file, create, log) {
  if (fs.existsSync(file)) {
    fs.chmodSync(file, 0o600);
    return fs.readFileSync(file, 'utf8').trim();
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const value = create();
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
  log(`created ${path.basename(file)} in ${path.dirname(file)} (mode 0600; keep it: without it, workflows written so far cannot be decoded)`);
  return value;
}

/**
 * The key set and the supervisor's token for this machine, from `dir` (made on first use), unless
 * the environment sets PAYLOAD_ENCRYPTION_KEYS or CODEC_SUPERVISOR_TOKEN_HASHES (then the token is not known here).
 */
export function localSecrets(dir, { env = process.env, log = console.error } = {}) {
  const payloadKeys =
    env.PAYLOAD_ENCRYPTION_KEYS ?? kept(path.join(dir, 'payload-encryption-keys'), () => newPayloadKey(`local-${new Date().toISOString().slice(0, 7)}`), log);
  if (env.CODEC_SUPERVISOR_TOKEN_HASHES) {
    return { payloadKeys, supervisorTokenHashes: env.CODEC_SUPERVISOR_TOKEN_HASHES };
  }
  const supervisor = { id: 'supervisor', tokenFile: path.join(dir, 'codec-supervisor-token') };
  supervisor.token = kept(supervisor.tokenFile, newSupervisorToken, log);
  return { payloadKeys, supervisor, supervisorTokenHashes: supervisorTokenHash(supervisor.id, supervisor.token) };
}
