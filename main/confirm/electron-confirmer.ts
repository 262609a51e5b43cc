import type { BrowserWindow, Dialog } from 'electron';
import type { Confirmer } from '../tx/coordinator';
import { eth } from '../tx/fees';
import { HIGH_FEE_LABEL, deviceGuideLines } from './render';
import { needsHighFeeTick } from '../tx/plan';

/** Electron's confirmation: a native dialog owned by main, drawn from the Plan that will be signed. */
export function electronConfirmer(dialog: Dialog, parent: () => BrowserWindow | null): Confirmer {
  return {
    async present(request, decide) {
      const p = request.plan;
      const detail = [
        `Network: ${p.networkLabel} (chain id ${p.chainId})`,
        `Your wallet: ${p.holder}`,
        ...p.lines.map((l) => `${l.label}: ${l.value}`),
        '',
        ...p.warnings,
        '',
        // A plan with no steps is a consent (main/operator/consent-plan.ts): confirming it signs nothing now.
        ...(p.steps.length === 0
          ? ['Confirming signs nothing now.']
          : [
              `Transactions to sign, in order:`,
              ...p.steps.map((s, i) => `${i + 1}. ${s.description} (to ${String(s.tx.to)})`),
              `Network fee: at most ${eth(p.gasCostWei)} ETH.`,
            ]),
        ...(p.blocker ? ['', `Cannot go ahead: ${p.blocker}`] : []),
        ...(p.device && !p.blocker ? ['', ...deviceGuideLines(p.device)] : []),
      ].join('\n');
      const buttons = p.blocker ? ['Close'] : ['Reject', p.steps.length === 0 ? 'Confirm' : 'Confirm and sign'];
      // An unusually high fee needs the box ticked as well as the button; the dialog comes back until one or the other.
      const needsTick = needsHighFeeTick(p);
      const ask = (again: boolean): void => {
        const win = parent();
        const options = {
          type: needsTick ? ('warning' as const) : ('question' as const),
          title: 'Confirm with care',
          message: again ? `Tick “${HIGH_FEE_LABEL}” to confirm, or reject.` : p.title,
          detail,
          buttons,
          defaultId: 0,
          cancelId: 0,
          noLink: true,
          ...(needsTick ? { checkboxLabel: HIGH_FEE_LABEL, checkboxChecked: false } : {}),
        };
        void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options)).then((r) => {
          const confirm = !p.blocker && r.response === 1;
          if (confirm && needsTick && !r.checkboxChecked) return ask(true);
          decide(confirm ? 'confirm' : 'reject', { highFeeAccepted: needsTick && r.checkboxChecked });
        });
      };
      ask(false);
      return { confirmUrl: null };
    },
  };
}
