import type { DataConverter } from '@temporalio/common';
import { handoffDataConverter, PayloadEncryptionCodec, PayloadKeySet } from '@handoffs/temporal';

/**
 * The key the recorded histories under test/replay are encrypted with. It is committed on purpose and
 * protects nothing: those histories carry only the tests' and the demo's fictitious people. Never give
 * it to a service, and never put a real person's data under it (anything encrypted with it is as good
 * as plain text). The services' own keys never leave their environment.
 */
export const REPLAY_PAYLOAD_KEYS = 'replay-histories:vWhcgviJRVDN5H15jmtbMaWE3emAWeaB3FtiLgUwCsc=';

export const replayKeySet = (): PayloadKeySet => PayloadKeySet.from(REPLAY_PAYLOAD_KEYS, 'REPLAY_PAYLOAD_KEYS');

/** The services' data converter under the replay key: what the histories are recorded and replayed with. */
export function replayDataConverter(): DataConverter {
  return handoffDataConverter(replayKeySet());
}

export function replayCodec(): PayloadEncryptionCodec {
  return new PayloadEncryptionCodec(replayKeySet());
}
