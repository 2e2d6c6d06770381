import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** Where the key set comes from: `<key id>:<base64 of 32 bytes>`, comma-separated, the current key first. */
export const PAYLOAD_KEYS_VARIABLE = 'PAYLOAD_ENCRYPTION_KEYS';
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata entry naming the key a payload was encrypted with. */
export const KEY_ID_METADATA = 'encryption-key-id';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The AES-256 keys payloads are encrypted with. The first is current and encrypts; every key
 * decrypts, so payloads written before a rotation stay readable while their key is kept.
 * Key material never leaves this object: it prints and serialises as its key IDs only.
 */
export class PayloadKeySet {
  private constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    readonly currentKeyId: string,
  ) {}

  /** Parses the key set, or names every problem with it (never the key material). */
  static parse(spec: string | undefined, variable = PAYLOAD_KEYS_VARIABLE): { keySet?: PayloadKeySet; problems: string[] } {
    const entries = (spec ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
    if (entries.length === 0) {
      return {
        problems: [`${variable} is required: comma-separated <key id>:<base64 of 32 random bytes>, the current key first`],
      };
    }
    const problems: string[] = [];
    const keys = new Map<string, Buffer>();
    entries.forEach((entry, index) => {
      const separator = entry.indexOf(':');
      const id = separator > 0 ? entry.slice(0, separator) : '';
      const material = separator > 0 ? entry.slice(separator + 1) : '';
      if (!KEY_ID_PATTERN.test(id)) {
        problems.push(`${variable}: entry ${index + 1} must be <key id>:<base64 key>, the key id of letters, digits, '.', '_' or '-' (at most 64)`);
      } else if (keys.has(id)) {
        problems.push(`${variable}: key id "${id}" appears more than once`);
      } else if (!BASE64_PATTERN.test(material)) {
        problems.push(`${variable}: key "${id}" is not base64`);
      } else if (Buffer.from(material, 'base64').length !== KEY_BYTES) {
        problems.push(`${variable}: key "${id}" has ${Buffer.from(material, 'base64').length} bytes; AES-256 needs ${KEY_BYTES}`);
      } else {
        keys.set(id, Buffer.from(material, 'base64'));
      }
    });
    if (problems.length > 0) {
      return { problems };
    }
    return { keySet: new PayloadKeySet(keys, [...keys.keys()][0]), problems };
  }

  /** The key set from `spec`, or an error naming every problem (for callers that cannot go on without it). */
  static from(spec: string | undefined, variable = PAYLOAD_KEYS_VARIABLE): PayloadKeySet {
    const { keySet, problems } = PayloadKeySet.parse(spec, variable);
    if (!keySet) {
      throw new Error(problems.join('\n'));
    }
    return keySet;
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  key(id: string): Buffer | undefined {
    return this.keys.get(id);
  }

  toJSON(): { currentKeyId: string; keyIds: string[] } {
    return { currentKeyId: this.currentKeyId, keyIds: this.keyIds };
  }

  [inspect.custom](): string {
    return `PayloadKeySet { current: ${this.currentKeyId}, keys: ${this.keyIds.join(', ')} }`;
  }
}

/** A payload this codec cannot decrypt. Names the key id, never the payload's content. */
export class PayloadDecryptionError extends Error {
  constructor(
    message: string,
    readonly keyId?: string,
  ) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

function text(bytes: Uint8Array | null | undefined): string | undefined {
  return bytes ? Buffer.from(bytes).toString('utf8') : undefined;
}

export function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.[METADATA_ENCODING_KEY]) === ENCRYPTED_ENCODING;
}

/**
 * Encrypts each payload whole (metadata and data) with AES-256-GCM under the current key: a fresh
 * 12-byte IV per payload, the key id in the metadata and bound in as associated data, so that an
 * altered payload or a swapped key id fails to decrypt. Payloads that are not encrypted (written
 * before encryption was turned on) pass through decoding unchanged.
 */
export class PayloadEncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeySet) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  encrypt(payload: Payload): Payload {
    const keyId = this.keys.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.key(keyId) as Buffer, iv);
    cipher.setAAD(Buffer.from(keyId, 'utf8'));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING, 'utf8'),
        [KEY_ID_METADATA]: Buffer.from(keyId, 'utf8'),
      },
      data: sealed,
    };
  }

  decrypt(payload: Payload): Payload {
    const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
    if (!keyId || !KEY_ID_PATTERN.test(keyId)) {
      throw new PayloadDecryptionError('The encrypted payload names no valid key id');
    }
    const key = this.keys.key(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `The payload is encrypted with key id "${keyId}", which is not in the key set (${this.keys.keyIds.join(', ')}); add that key to ${PAYLOAD_KEYS_VARIABLE}`,
        keyId,
      );
    }
    const sealed = Buffer.from(payload.data ?? new Uint8Array());
    if (sealed.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(`The payload encrypted with key id "${keyId}" is truncated`, keyId);
    }
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(keyId, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(
        `The payload encrypted with key id "${keyId}" fails authentication: it was altered, or encrypted with another key under that id`,
        keyId,
      );
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }
}
