import { randomBytes } from 'node:crypto';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { failureConverter } from './failure-converter';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError, PayloadEncryptionCodec, PayloadKeySet } from './payload-encryption';

const PERSON = { familyName: 'Haddad', givenNames: 'Rami Yusuf', dateOfBirth: '1991-03-14' };
const key = () => randomBytes(32).toString('base64');
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

describe('payload encryption', () => {
  const oldKey = `2026-05:${key()}`;
  const newKey = `2026-11:${key()}`;
  const beforeRotation = new PayloadEncryptionCodec(PayloadKeySet.from(oldKey));
  const afterRotation = new PayloadEncryptionCodec(PayloadKeySet.from(`${newKey},${oldKey}`));
  const plain = (): Payload => defaultPayloadConverter.toPayload(PERSON);

  it('encrypts metadata and data under the current key, names the key, and decrypts to the same payload', async () => {
    const [sealed] = await afterRotation.encode([plain()]);
    expect(Object.keys(sealed.metadata ?? {}).sort()).toEqual(['encoding', KEY_ID_METADATA]);
    expect(text(sealed.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(sealed.metadata?.[KEY_ID_METADATA])).toBe('2026-11');
    const bytes = text(sealed.data);
    for (const value of [...Object.values(PERSON), 'json/plain']) expect(bytes).not.toContain(value);

    const [opened] = await afterRotation.decode([sealed]);
    expect(defaultPayloadConverter.fromPayload(opened)).toEqual(PERSON);
    expect(text(opened.metadata?.encoding)).toBe('json/plain');
  });

  it('uses a fresh IV for every payload, so equal values never look alike', async () => {
    const [first, second] = await afterRotation.encode([plain(), plain()]);
    expect(Buffer.from(first.data!).equals(Buffer.from(second.data!))).toBe(false);
    expect(Buffer.from(first.data!).subarray(0, 12).equals(Buffer.from(second.data!).subarray(0, 12))).toBe(false);
  });

  it('still decrypts what the old current key encrypted once a new key is put first', async () => {
    const [written] = await beforeRotation.encode([plain()]);
    expect(text(written.metadata?.[KEY_ID_METADATA])).toBe('2026-05');
    const [read] = await afterRotation.decode([written]);
    expect(defaultPayloadConverter.fromPayload(read)).toEqual(PERSON);
  });

  it('refuses a payload under a key id it does not hold, naming the key id and nothing of the content', async () => {
    const [written] = await afterRotation.encode([plain()]);
    const attempt = beforeRotation.decode([written]);
    await expect(attempt).rejects.toBeInstanceOf(PayloadDecryptionError);
    await expect(attempt).rejects.toMatchObject({ keyId: '2026-11', message: expect.stringContaining('key id "2026-11"') });
    const message = await attempt.catch((error: Error) => error.message);
    for (const value of Object.values(PERSON)) expect(message).not.toContain(value);
  });

  it('refuses a tampered payload, a swapped key id and a truncated one', async () => {
    const [written] = await afterRotation.encode([plain()]);
    const flipped = Buffer.from(written.data!);
    flipped[20] ^= 0x01;
    await expect(afterRotation.decode([{ ...written, data: flipped }])).rejects.toThrow(/key id "2026-11" fails authentication/);

    const swapped = { metadata: { ...written.metadata, [KEY_ID_METADATA]: Buffer.from('2026-05') }, data: written.data };
    await expect(afterRotation.decode([swapped])).rejects.toThrow(/key id "2026-05" fails authentication/);

    await expect(afterRotation.decode([{ ...written, data: Buffer.from(written.data!).subarray(0, 20) }])).rejects.toThrow(/truncated/);
    const nameless = { metadata: { encoding: written.metadata!.encoding }, data: written.data };
    await expect(afterRotation.decode([nameless])).rejects.toThrow(/names no valid key id/);
  });

  it('passes payloads that were never encrypted through decoding unchanged', async () => {
    const legacy = plain();
    expect(await afterRotation.decode([legacy])).toEqual([legacy]);
  });

  it('turns failure messages and stack traces into an encoded payload, which the codec encrypts', async () => {
    const failure = failureConverter.errorToFailure(ApplicationFailure.nonRetryable(`No record for ${PERSON.familyName}`, 'NotFound'), defaultPayloadConverter);
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace).toBe('');
    expect(failure.applicationFailureInfo?.type).toBe('NotFound');
    const [sealed] = await afterRotation.encode([failure.encodedAttributes!]);
    expect(text(sealed.data)).not.toContain(PERSON.familyName);
    const [opened] = await afterRotation.decode([sealed]);
    expect(defaultPayloadConverter.fromPayload<{ message: string }>(opened).message).toBe(`No record for ${PERSON.familyName}`);
  });
});
