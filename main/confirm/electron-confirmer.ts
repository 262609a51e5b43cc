import type { BrowserWindow, Dialog } from 'electron';
import { formatNmr } from '../../shared/money';
import type { Confirmer } from '../tx/coordinator';

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
        `Transactions to sign, in order:`,
        ...p.steps.map((s, i) => `${i + 1}. ${s.description} (to ${String(s.tx.to)})`),
        `Network fee, at most about ${formatNmr(p.gasCostWei)} ETH.`,
        ...(p.blocker ? ['', `Cannot go ahead: ${p.blocker}`] : []),
      ].join('\n');
      const buttons = p.blocker ? ['Close'] : ['Reject', 'Confirm and sign'];
      const win = parent();
      const options = { type: 'question' as const, title: 'Confirm with care', message: p.title, detail, buttons, defaultId: 0, cancelId: 0, noLink: true };
      void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options)).then((r) =>
        decide(!p.blocker && r.response === 1 ? 'confirm' : 'reject'),
      );
      return { confirmUrl: null };
    },
  };
}
