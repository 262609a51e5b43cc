import { z } from 'zod';

/**
 * "Check with Numerai"'s answer (main/numerai/verify-claim.ts), defined once for the wire and main:
 * verified (the proof leads to the root Numerai posted, and the pool booked exactly that result),
 * root-not-posted, proof-mismatch (the result is not what Numerai posted), amounts-differ (Numerai's
 * result differs from the pool's booking).
 */
export const CLAIM_VERDICTS = ['verified', 'root-not-posted', 'proof-mismatch', 'amounts-differ'] as const;
export const ClaimVerdict = z.enum(CLAIM_VERDICTS);
export type ClaimVerdict = z.infer<typeof ClaimVerdict>;

export const ClaimCheck = z.strictObject({
  verdict: ClaimVerdict,
  /** The answer in words, as the holder reads it. */
  words: z.string().max(1000),
});
export type ClaimCheck = z.infer<typeof ClaimCheck>;
