import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { PayloadEncryptionCodec, type PayloadKeySet } from './payload-encryption';

/**
 * The failure converter's module: beside `main.js` in a built service (scripts/build-service.mjs
 * puts it there), else the source (tests, workflow bundles).
 */
export function failureConverterPath(): string {
  const candidates = ['failure-converter.js', 'failure-converter.ts'].map((file) => path.join(__dirname, file));
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new Error(`No failure converter at ${candidates.join(' or ')}: rebuild the service`);
  }
  return found;
}

/**
 * The project's one data converter, for every client and worker: payloads, memos and failure
 * messages encrypted with the key set; search attributes stay readable (they hold no personal data).
 */
export function handoffDataConverter(keys: PayloadKeySet): DataConverter {
  return { payloadCodecs: [new PayloadEncryptionCodec(keys)], failureConverterPath: failureConverterPath() };
}
