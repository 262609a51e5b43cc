import type { BrowserWindow, Dialog } from 'electron';
import type { Confirmer } from '../tx/coordinator';
import { eth } from '../tx/fees';
import { HIGH_FEE_LABEL } from './render';
import type { PhraseDisplay } from './phrase-display';
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

/**
 * Electron's recovery-phrase window: a native message box owned by main, so the words never pass
 * through the renderer. A message box cannot be withdrawn once open; the person closes it.
 */
export function electronPhraseDisplay(dialog: Dialog, parent: () => BrowserWindow | null): PhraseDisplay {
  return {
    async show(phrase) {
      const n = phrase.words.length;
      const create = phrase.purpose === 'create';
      const detail = [
        create
          ? `These ${n} words are your wallet. If this computer is lost or you forget your password, they are the only way to get your NMR back. Nobody, not us and not Numerai, can recover them for you.`
          : `These ${n} words restore your wallet on any computer. Make sure nobody can see your screen.`,
        '',
        ...phrase.words.map((w, i) => `${String(i + 1).padStart(2, ' ')}. ${w}`),
        '',
        'Write them on paper, in this order. Do not take a photo or screenshot and do not save them in a file: anyone who finds them can take your NMR.',
        ...(create ? ['', 'Next, NMR Delegate asks for three of the words to check your copy.'] : []),
      ].join('\n');
      const win = parent();
      const options = {
        type: 'warning' as const,
        title: 'Your recovery phrase',
        message: create ? 'Write down your recovery phrase' : 'Your recovery phrase',
        detail,
        buttons: ['I have written them down'],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      };
      void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options)).catch(() => undefined);
      return { phraseUrl: null };
    },
    forget() {},
  };
}
