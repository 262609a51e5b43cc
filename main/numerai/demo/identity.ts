/**
 * Numerai-side identities of the demo models: the API's model UUID, the on-chain bytes32 model id, and
 * each round's selected submission (id and hash). Deterministic from the demo model's name, so a
 * fresh demo world, its saved state and the tests agree without a registry.
 */
import { keccak256, toUtf8Bytes } from 'ethers';
import { modelIdFromUuid } from '../../../contracts/numerai-layout';

/** A version-4-shaped UUID from a label (the demo's stand-in for ids Numerai's database assigns). */
function uuidFrom(label: string): string {
  const h = keccak256(toUtf8Bytes(label)).slice(2, 34).split('');
  h[12] = '4';
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export interface DemoModelIdentity {
  name: string;
  /** The API's model id (`apiModelId`). */
  apiModelId: string;
  /** The on-chain bytes32 model id (contracts/numerai-layout.ts `modelIdFromUuid`). */
  modelId: string;
}

export function demoModelIdentity(name: string): DemoModelIdentity {
  const apiModelId = uuidFrom(`demo-model:${name}`);
  return { name, apiModelId, modelId: modelIdFromUuid(apiModelId) };
}

export function demoSubmissionId(name: string, roundId: bigint): string {
  return uuidFrom(`demo-submission:${name}:${roundId}`);
}

/** ABS.md Q3: how Numerai computes the submission hash is unknown. Our choice: keccak256 of the id. */
export function submissionHash(submissionId: string): string {
  return keccak256(toUtf8Bytes(submissionId));
}
