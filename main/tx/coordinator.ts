import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/api';
import type { EventBus } from '../ipc/events';
import type { Logger } from '../log/logger';
import type { Plan } from './plan';
import { needsHighFeeTick } from './plan';

const TTL_MS = 10 * 60_000;

export interface PendingRequest {
  id: string;
  plan: Plan;
  expires: number;
  /** Runs the plan once confirmed. */
  execute: (requestId: string) => Promise<unknown>;
}

/** What the person did in main's window; `highFeeAccepted` is the extra step an unusually high fee needs. */
export type Decide = (decision: 'confirm' | 'reject', opts?: { highFeeAccepted?: boolean }) => boolean;

/**
 * Confirmation happens outside the renderer: a window or dialog owned by main (Electron) or a page
 * on another origin that the renderer's token cannot reach (harness). The transport's confirmer
 * shows the request and reports the person's decision back here; nothing else can decide.
 */
export interface Confirmer {
  /**
   * Shows the request; returns a URL to open when the renderer must open the window itself.
   * `decide` answers false when it did not take the decision (a confirm without accepting an
   * unusually high fee, or a request no longer waiting).
   */
  present(request: PendingRequest, decide: Decide): Promise<{ confirmUrl: string | null }>;
}

export class TxCoordinator {
  private pending = new Map<string, PendingRequest>();
  private confirmer: Confirmer | null = null;

  constructor(
    private readonly events: EventBus,
    private readonly log: Logger,
  ) {}

  setConfirmer(c: Confirmer): void {
    this.confirmer = c;
  }

  get(id: string): PendingRequest | null {
    const r = this.pending.get(id);
    if (!r) return null;
    if (r.expires < Date.now()) {
      this.pending.delete(id);
      return null;
    }
    return r;
  }

  async request(plan: Plan, execute: (requestId: string) => Promise<unknown>): Promise<{ requestId: string; confirmUrl: string | null }> {
    if (!this.confirmer) throw new AppError('NOT_AVAILABLE', 'Confirmations are not set up yet.');
    const now = Date.now();
    for (const [id, r] of this.pending) if (r.expires < now) this.pending.delete(id);
    const id = randomBytes(16).toString('hex');
    const req: PendingRequest = { id, plan, expires: now + TTL_MS, execute };
    this.pending.set(id, req);
    const { confirmUrl } = await this.confirmer.present(req, (d, o) => this.decide(id, d, o?.highFeeAccepted === true));
    return { requestId: id, confirmUrl };
  }

  /** Withdraws a request that is still waiting (the renderer may do this; it can only stop things). */
  cancel(id: string): boolean {
    const r = this.pending.get(id);
    if (!r) return false;
    this.pending.delete(id);
    this.events.emit('tx.decision', { requestId: id, decision: 'rejected' });
    return true;
  }

  private decide(id: string, decision: 'confirm' | 'reject', highFeeAccepted: boolean): boolean {
    const r = this.get(id);
    if (!r) return false;
    if (decision === 'confirm' && needsHighFeeTick(r.plan) && !highFeeAccepted) {
      // Whatever a confirmer does, an unusually high fee is never signed without its extra step; the request keeps waiting.
      this.log.warn('tx.high_fee_not_accepted', { requestId: id });
      return false;
    }
    this.pending.delete(id);
    if (decision === 'reject' || r.plan.blocker) {
      this.events.emit('tx.decision', { requestId: id, decision: 'rejected' });
      return true;
    }
    this.events.emit('tx.decision', { requestId: id, decision: 'confirmed' });
    r.execute(id).catch((e: unknown) =>
      this.log.warn('tx.execution_failed', {
        requestId: id,
        code: e instanceof AppError ? e.code : null,
        error: e instanceof Error ? e.message : String(e),
      }),
    );
    return true;
  }
}
