import { randomBytes } from 'node:crypto';
import type { ApiTokenGrant } from '../v3-api';
import { startGraphqlServer, type GraphqlServer } from '../stand-in/graphql-server';
import { WEB3_STAKING_SCOPE, stakingApiSchema } from '../stand-in/staking-api-server';
import type { DemoNumerai } from './demo-numerai';
import { lazy } from '../../../shared/lazy';

/**
 * The demo Numerai's API on loopback: the same staking v3 fields, token checks and refusals the app's
 * HTTP client meets on mainnet, served from the in-process DemoNumerai, so the operator's round and a
 * holder's relay run the one client code path on the demo chain too.
 *
 * Each demo model's operator gets a token owning that model, with the web3_staking scope (what an
 * operator creates on numer.ai). Claims are answered without a token, so a holder's app can relay
 * when an operator is late (main/operator/README.md, "A holder's relay").
 */

/** numerapi's token form, `<public_id>$<secret_key>` (ABS.md; numerapi sends `Token <public>$<secret>`). */
function demoToken(): string {
  return `${randomBytes(16).toString('hex').toUpperCase()}$${randomBytes(32).toString('hex').toUpperCase()}`;
}

/**
 * One token per demo model (its operator's), owning that model and scoped for staking, except the
 * model named `unscopedModel`: its token lacks the web3_staking scope, so Numerai refuses its
 * authorization (the demo's way to show that refusal; main/app/pool-choice.ts chooses the model).
 */
export function demoOperatorGrants(demo: Pick<DemoNumerai, 'identities'>, unscopedModel: string | null = null): ApiTokenGrant[] {
  return demo.identities().map((m) => ({
    token: demoToken(),
    scopes: m.name === unscopedModel ? [] : [WEB3_STAKING_SCOPE],
    apiModelIds: [m.apiModelId],
  }));
}

export interface DemoNumeraiApi {
  server: GraphqlServer;
  /** The operator token of each demo model, by API model id (the app stores it as the operator would). */
  tokenOf(apiModelId: string): string | undefined;
}

/**
 * Serves the demo Numerai's API; its operators' tokens (demoOperatorGrants, `unscopedModel` as there)
 * are made on the first call that needs them: the models' identities they name are ~50 ms of a
 * start's CPU that the first screen does not use.
 */
export async function startDemoNumeraiApi(demo: DemoNumerai, unscopedModel: string | null = null): Promise<DemoNumeraiApi> {
  const grants = lazy(() => demoOperatorGrants(demo, unscopedModel));
  const server = await startGraphqlServer(
    stakingApiSchema({
      apis: [demo],
      grants,
      modelOfSubmission: (id) => demo.modelOfSubmission(id),
      claimsWithoutToken: true,
    }),
  );
  return { server, tokenOf: (apiModelId) => grants().find((g) => g.apiModelIds.includes(apiModelId))?.token };
}
