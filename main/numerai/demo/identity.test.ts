import { describe, expect, it } from 'vitest';
import { modelIdFromUuid } from '../../../contracts/numerai-layout';
import { demoModelIdentity, demoSubmissionId, submissionHash } from './identity';

describe('demo model identities', () => {
  it('give each model a stable UUID and the bytes32 id numerai-layout derives from it', () => {
    const a = demoModelIdentity('alpha');
    expect(a).toEqual(demoModelIdentity('alpha'));
    expect(a.apiModelId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.modelId).toBe(modelIdFromUuid(a.apiModelId));
    expect(demoModelIdentity('beta').modelId).not.toBe(a.modelId);
  });

  it('select one submission per model and round, hashed to bytes32', () => {
    const s = demoSubmissionId('alpha', 1501n);
    expect(s).toBe(demoSubmissionId('alpha', 1501n));
    expect(s).not.toBe(demoSubmissionId('alpha', 1502n));
    expect(submissionHash(s)).toMatch(/^0x[0-9a-f]{64}$/);
  });
});
