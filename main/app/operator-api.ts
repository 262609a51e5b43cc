import { AppError, type OperatorAsk, type OperatorStatusView, type OperatorTokenView } from '../../shared/api';
import type { EventBus } from '../ipc/events';
import type { Handlers } from '../ipc/router';
import type { Logger } from '../log/logger';
import type { AutomaticConsent, ConsentScope } from '../operator/automatic-consent';
import { consentPlan } from '../operator/consent-plan';
import type { OperatorHandle } from '../operator/create-operator-service';
import { toStatusView } from '../operator/status-view';
import { TokenVaultError, type TokenVault } from '../operator/token-vault';
import type { TxCoordinator } from '../tx/coordinator';

export interface OperatorApiDeps {
  /** The session's operator part (each session has its own, on its pool). */
  operator: () => Promise<OperatorHandle>;
  tokens: Pick<TokenVault, 'savedFor' | 'save' | 'remove'>;
  consent: AutomaticConsent;
  /** The active account, or null when there is no wallet. */
  account: () => string | null;
  isUnlocked: () => boolean;
  /** Main's own window: the standing consent and a one-off run are asked there, never granted by the page. */
  coordinator: Pick<TxCoordinator, 'request'>;
  events: Pick<EventBus, 'emit'>;
  log: Logger;
}

type OperatorMethods = 'operator.status' | 'operator.setToken' | 'operator.clearToken' | 'operator.runNow' | 'operator.setAutomatic';

/**
 * The operator's calls. The token goes one way only (page → main → the token vault); answers, events
 * and log lines say at most which account has one. Sending the round's transactions without a person
 * at the screen needs the operator's consent given in main's window: the standing one ("stake
 * automatically each round") or one run ("Run now" while automatic staking is off).
 */
export function operatorHandlers(deps: OperatorApiDeps): Pick<Handlers, OperatorMethods> {
  const { tokens, consent, log } = deps;
  const watched = new WeakSet<OperatorHandle>();

  const need = async (): Promise<OperatorHandle> => {
    const handle = await deps.operator();
    if (!watched.has(handle)) {
      watched.add(handle);
      handle.service.onChange(() => deps.events.emit('operator.status', view(handle)));
    }
    return handle;
  };
  const account = (): string => {
    const a = deps.account();
    if (!a) throw new AppError('NO_WALLET', 'There is no wallet yet. Create or import one first.');
    return a;
  };
  const scopeOf = (h: OperatorHandle, a: string): ConsentScope => ({ chainId: h.pool.chainId, pool: h.pool.address, account: a });

  /** Which account has a token; a damaged or keychain-locked file reads as none, with its words. */
  const tokenView = (): { token: OperatorTokenView; problem: string | null } => {
    try {
      return { token: { savedFor: tokens.savedFor() }, problem: null };
    } catch (e) {
      if (e instanceof TokenVaultError) return { token: { savedFor: null }, problem: e.message };
      throw e;
    }
  };

  function view(h: OperatorHandle): OperatorStatusView {
    const a = deps.account();
    const { token, problem } = tokenView();
    const v = toStatusView(h.service.get(), { account: a, token, automatic: a !== null && consent.isOn(scopeOf(h, a)) });
    return problem !== null && v.message === null ? { ...v, message: problem } : v;
  }

  const emit = async () => {
    deps.events.emit('operator.status', view(await deps.operator()));
  };

  /** Asks main's window; `then` runs only on the person's confirm there. */
  async function ask(h: OperatorHandle, a: string, once: boolean, then: () => Promise<unknown>): Promise<OperatorAsk> {
    const plan = consentPlan({ account: a, pool: h.pool.address, chainId: h.pool.chainId, networkLabel: h.pool.networkLabel, once });
    const { confirmUrl } = await deps.coordinator.request(plan, then);
    return { status: view(h), asking: true, confirmUrl };
  }

  /** A run that can stop before sending anything (no token for this account, locked) needs no consent. */
  const canSend = (a: string) => {
    const saved = tokenView().token.savedFor;
    return deps.isUnlocked() && saved !== null && saved.toLowerCase() === a.toLowerCase();
  };

  return {
    'operator.status': async () => view(await need()),
    'operator.setToken': async ({ token }) => {
      const a = account();
      await tokens.save(a, token);
      log.info('operator.token_saved', { account: a });
      await emit();
      return { savedFor: tokenView().token.savedFor };
    },
    'operator.clearToken': async () => {
      tokens.remove();
      log.info('operator.token_removed', {});
      await emit();
      return { savedFor: null };
    },
    'operator.runNow': async () => {
      const h = await need();
      const a = account();
      const scope = scopeOf(h, a);
      if (consent.allows(scope) || !canSend(a)) {
        void h.service.runNow();
        return { status: view(h), asking: false, confirmUrl: null };
      }
      return ask(h, a, true, async () => {
        const end = consent.grantOnce(scope);
        try {
          await h.service.runNow();
        } finally {
          end();
        }
      });
    },
    'operator.setAutomatic': async ({ on }) => {
      const h = await need();
      const a = account();
      const scope = scopeOf(h, a);
      if (!on || consent.isOn(scope)) {
        // Turning it off needs no confirmation: it can only stop things.
        if (!on) {
          consent.set(scope, false);
          h.service.stop();
          log.info('operator.automatic_off', { account: a });
          deps.events.emit('operator.status', view(h));
        }
        return { status: view(h), asking: false, confirmUrl: null };
      }
      return ask(h, a, false, async () => {
        consent.set(scope, true);
        log.info('operator.automatic_on', { account: a });
        h.service.start();
        deps.events.emit('operator.status', view(h));
      });
    },
  };
}
