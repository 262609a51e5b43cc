import type { ApiInput, ApiOutput } from '../../../shared/api';
import type { ApiClient } from '../api/client';

/**
 * The calls the app makes as it starts, in the order main should answer them. Asked for at the
 * page's boot (main.tsx), before React's first render: the wallet's status first, since the app
 * draws nothing but "Starting…" until it is in, and main answers it in a millisecond where the first
 * model list takes tens; asked for from the app's own effects, they went out after the list.
 */
const BOOT_METHODS = ['wallet.status', 'accounts.list', 'settings.get'] as const;
type BootMethod = (typeof BOOT_METHODS)[number];

let early = new Map<BootMethod, Promise<unknown>>();

export function startBootCalls(api: ApiClient): void {
  early = new Map(
    BOOT_METHODS.map((method) => {
      const answer = api.call(method, {});
      answer.catch(() => undefined); // its failure is reported by the screen that takes it
      return [method, answer];
    }),
  );
}

/** The boot's answer to `method`, once; any later call (a reload) asks main afresh. */
export function bootCall<M extends BootMethod>(api: ApiClient, method: M): Promise<ApiOutput<M>> {
  const answer = early.get(method) as Promise<ApiOutput<M>> | undefined;
  early.delete(method);
  return answer ?? api.call(method, {} as ApiInput<M>);
}
