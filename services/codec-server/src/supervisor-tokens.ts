import { createHash, timingSafeEqual } from 'node:crypto';

export const SUPERVISOR_TOKENS_VARIABLE = 'CODEC_SUPERVISOR_TOKEN_HASHES';
const SUPERVISOR_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * The supervisors who may decode, each by the SHA-256 of their token: the configuration never holds
 * a token itself, and a presented token is compared with every hash in constant time.
 */
export class SupervisorTokens {
  private constructor(private readonly hashes: ReadonlyMap<string, Buffer>) {}

  /** Parses `<supervisor id>:<sha256 hex of the token>`, comma-separated, or names every problem. */
  static parse(spec: string | undefined): { tokens?: SupervisorTokens; problems: string[] } {
    const entries = (spec ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
    if (entries.length === 0) {
      return {
        problems: [`${SUPERVISOR_TOKENS_VARIABLE} is required: comma-separated <supervisor id>:<sha256 hex of the supervisor's token>`],
      };
    }
    const problems: string[] = [];
    const hashes = new Map<string, Buffer>();
    const owners = new Map<string, string>();
    entries.forEach((entry, index) => {
      const [id, hash, ...rest] = entry.split(':');
      if (rest.length > 0 || !SUPERVISOR_ID_PATTERN.test(id ?? '') || !SHA256_HEX_PATTERN.test((hash ?? '').toLowerCase())) {
        problems.push(`${SUPERVISOR_TOKENS_VARIABLE}: entry ${index + 1} must be <supervisor id>:<sha256 hex of the token> (64 hex digits)`);
      } else if (hashes.has(id)) {
        problems.push(`${SUPERVISOR_TOKENS_VARIABLE}: supervisor "${id}" appears more than once`);
      } else if (owners.has(hash.toLowerCase())) {
        problems.push(`${SUPERVISOR_TOKENS_VARIABLE}: supervisors "${owners.get(hash.toLowerCase())}" and "${id}" share a token`);
      } else {
        hashes.set(id, Buffer.from(hash, 'hex'));
        owners.set(hash.toLowerCase(), id);
      }
    });
    return problems.length > 0 ? { problems } : { tokens: new SupervisorTokens(hashes), problems };
  }

  /** The supervisor whose token this is, if any. */
  identify(token: string): string | undefined {
    const presented = sha256(token);
    let supervisor: string | undefined;
    for (const [id, hash] of this.hashes) {
      if (timingSafeEqual(presented, hash)) supervisor = id;
    }
    return supervisor;
  }

  get supervisorIds(): string[] {
    return [...this.hashes.keys()];
  }
}
