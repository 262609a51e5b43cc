import { AppError } from '../../shared/api';
import { HistoryIntegrityError, PriceFileError, RpcError } from '../history';
import { isAbortError } from '../history/rpc';

/**
 * The one place a failure becomes words a holder can act on, for every handler group: the app's
 * own errors pass through, the history's and the node's are translated, and anything else stays
 * unknown (null), which the router reports as "something went wrong inside the app".
 * `nodeFault` decodes the node's part (the session's pool knows its contracts' revert reasons).
 */
export function toAppError(e: unknown, nodeFault: (e: unknown) => AppError | null = () => null): AppError | null {
  if (e instanceof AppError) return e;
  if (isAbortError(e)) return new AppError('CANCELLED', 'The export was cancelled. No file was written.');
  if (e instanceof PriceFileError) return new AppError('BAD_INPUT', e.message);
  if (e instanceof RpcError)
    return new AppError(
      'CHAIN_UNAVAILABLE',
      'The network’s node did not answer while your history was being read. Nothing was lost: try again in a moment.',
    );
  if (e instanceof HistoryIntegrityError)
    return new AppError('INTERNAL', `${e.message} The app will read it again from the chain next time.`);
  return nodeFault(e);
}
