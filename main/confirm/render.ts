import { eth } from '../tx/fees';
import type { Plan } from '../tx/plan';
import { needsHighFeeTick } from '../tx/plan';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
:root { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; color: #16202c; background: #f6f7f9; }
@media (prefers-color-scheme: dark) { :root { color: #e6ebf1; background: #0f141a; } main { background: #171e27 !important; border-color: #273140 !important; } }
@media (prefers-color-scheme: dark) { dt, code { color: #a3afbd !important; } .eyebrow { color: #9db0ff !important; } }
body { margin: 0; padding: 1.5rem; }
main { max-width: 560px; margin: 0 auto; background: #fff; border: 1px solid #e1e5ea; border-radius: 12px; padding: 1.4rem 1.6rem; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: .75rem; color: #3a5bd9; font-weight: 700; margin: 0; }
h1 { font-size: 1.4rem; margin: .3rem 0 1rem; }
dl { display: grid; grid-template-columns: 11rem 1fr; gap: .45rem 1rem; margin: 0 0 1rem; }
dt { color: #5b6776; } dd { margin: 0; overflow-wrap: anywhere; }
ol { padding-left: 1.2rem; } li { margin: .35rem 0; } code { font-size: .8rem; color: #5b6776; overflow-wrap: anywhere; }
.warn { background: #fff7e6; color: #8a5300; padding: .5rem .7rem; border-radius: 8px; }
.blocker { background: #fdecea; color: #b42318; padding: .5rem .7rem; border-radius: 8px; }
.highfee { border: 2px solid #b42318; border-radius: 10px; padding: .2rem .8rem .8rem; margin: 1rem 0; }
.highfee legend { font-weight: 700; color: #b42318; padding: 0 .3rem; }
.highfee label { display: flex; gap: .5rem; align-items: center; font-weight: 600; }
.highfee input { width: 1.2rem; height: 1.2rem; }
ol.phrase { display: grid; grid-template-columns: repeat(3, 1fr); gap: .5rem .9rem; list-style: none; padding: 0; margin: 1rem 0; counter-reset: w; }
ol.phrase li { counter-increment: w; margin: 0; padding: .45rem .6rem; border: 1px solid #c9d0d9; border-radius: 8px; font-size: 1.05rem; font-weight: 600; }
ol.phrase li::before { content: counter(w) "  "; color: #5b6776; font-weight: 400; font-size: .85rem; white-space: pre; }
ul.rules { padding-left: 1.2rem; }
.device { border: 1px solid #c9d0d9; border-radius: 10px; padding: .2rem 1rem .6rem; margin: 1rem 0; }
.device h2 { font-size: 1.05rem; margin: .6rem 0 .3rem; } .device h3 { font-size: .95rem; margin: .8rem 0 .4rem; }
.device dl { grid-template-columns: 8rem 1fr; margin: 0 0 .4rem; }
.buttons { display: flex; gap: .7rem; justify-content: flex-end; margin-top: 1.2rem; }
button { font: inherit; padding: .6rem 1.1rem; border-radius: 8px; border: 1px solid #c9d0d9; background: transparent; color: inherit; cursor: pointer; }
button.primary { background: #3a5bd9; color: #fff; border-color: #3a5bd9; font-weight: 600; }
`;

/**
 * A whole page. `linked`: the harness serves the style at /confirm.css (its CSP allows only itself).
 * `inline`: a document with everything inside (Electron loads it from a data: URL, no origin to
 * fetch from), its own CSP allowing its style and nothing else.
 */
function page(title: string, body: string, style: 'linked' | 'inline' = 'linked'): string {
  const head =
    style === 'linked'
      ? '<link rel="stylesheet" href="/confirm.css">'
      : `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><style>${STYLE}</style>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>${head}</head><body><main>${body}</main></body></html>`;
}

export const confirmCss = STYLE;

/** The box an unusually high fee needs ticked; main refuses the confirm without it (the page has no script). */
export const HIGH_FEE_FIELD = 'acceptHighFee';
export const HIGH_FEE_LABEL = 'I accept this unusually high network fee';

/** One screen a signing device will show: its heading there, and what the person sees or checks on it. */
export interface DeviceScreen {
  title: string;
  value: string;
}

/** What a signing device (main/ledger/device-screens.ts) will show for each step of a plan, in order. */
export interface DeviceGuide {
  device: string;
  steps: { description: string; screens: DeviceScreen[] }[];
}

const deviceGuideIntro = (device: string) =>
  `After you confirm here, the ${device} shows these screens in turn. Check the address and the fee on it against this window before you approve there.`;

/** The same guide as plain lines, for Electron's native confirmation dialog (its `detail` text). */
export function deviceGuideLines(guide: DeviceGuide): string[] {
  return [
    `What your ${guide.device} will show`,
    deviceGuideIntro(guide.device),
    ...guide.steps.flatMap((s, i) => [
      ...(guide.steps.length === 1 ? [] : [`Transaction ${i + 1} of ${guide.steps.length}: ${s.description}`]),
      ...s.screens.map((sc) => `  ${sc.title}: ${sc.value}`),
    ]),
  ];
}

function renderDeviceGuide(guide: DeviceGuide): string {
  const steps = guide.steps
    .map((s, i) => {
      const screens = s.screens.map((sc) => `<dt>${escapeHtml(sc.title)}</dt><dd>${escapeHtml(sc.value)}</dd>`).join('');
      const heading =
        guide.steps.length === 1 ? '' : `<h3>Transaction ${i + 1} of ${guide.steps.length}: ${escapeHtml(s.description)}</h3>`;
      return `${heading}<dl>${screens}</dl>`;
    })
    .join('');
  const device = escapeHtml(guide.device);
  return `<section class="device" aria-labelledby="device-guide"><h2 id="device-guide">What your ${device} will show</h2><p>${escapeHtml(deviceGuideIntro(guide.device))}</p>${steps}</section>`;
}

/**
 * The confirmation, drawn by main from the same Plan that will be signed. `notice` says why a
 * confirm was not taken (the high-fee box was not ticked). `device`: for an account on a signing
 * device, what it will show for each step.
 */
export function renderConfirmPage(
  plan: Plan,
  action: string,
  csrf: string,
  notice: string | null = null,
  device: DeviceGuide | null = null,
): string {
  const lines = plan.lines.map((l) => `<dt>${escapeHtml(l.label)}</dt><dd>${escapeHtml(l.value)}</dd>`).join('');
  const steps = plan.steps.map((s) => `<li>${escapeHtml(s.description)}<br><code>to ${escapeHtml(String(s.tx.to))}</code></li>`).join('');
  // The high-fee words go in the box with the tick, not among the ordinary warnings.
  const warnings = plan.warnings
    .filter((w) => w !== plan.highFee)
    .map((w) => `<p class="warn">${escapeHtml(w)}</p>`)
    .join('');
  const highFee = needsHighFeeTick(plan)
    ? `<fieldset class="highfee"><legend>Unusually high network fee</legend><p>${escapeHtml(plan.highFee ?? '')}</p><label><input type="checkbox" name="${HIGH_FEE_FIELD}" value="yes" required> ${HIGH_FEE_LABEL}</label></fieldset>`
    : plan.highFee
      ? `<p class="warn">${escapeHtml(plan.highFee)}</p>`
      : '';
  // A plan with no steps is a consent (main/operator/consent-plan.ts): confirming it signs nothing now.
  const signs =
    plan.steps.length === 0
      ? '<p>Confirming signs nothing now.</p>'
      : `<p>You will sign ${plan.steps.length} transaction${plan.steps.length === 1 ? '' : 's'}, in this order:</p>
<ol>${steps}</ol>
<p>Network fee: at most ${escapeHtml(eth(plan.gasCostWei))} ETH.</p>`;
  const refused = notice ? `<p class="blocker" role="alert">${escapeHtml(notice)}</p>` : '';
  const blocker = plan.blocker ? `<p class="blocker" role="alert">${escapeHtml(plan.blocker)}</p>` : '';
  return page(
    `Confirm: ${plan.title}`,
    `<p class="eyebrow">NMR Delegate · confirm with care</p>
<h1>${escapeHtml(plan.title)}</h1>
<dl><dt>Network</dt><dd>${escapeHtml(plan.networkLabel)} (chain id ${plan.chainId})</dd><dt>Your wallet</dt><dd>${escapeHtml(plan.holder)}</dd>${lines}</dl>
${warnings}
${signs}
${device && plan.steps.length > 0 ? renderDeviceGuide(device) : ''}
${blocker}
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
${highFee}${refused}
<div class="buttons"><button type="submit" name="decision" value="reject" formnovalidate>Reject</button>${plan.blocker ? '' : `<button class="primary" type="submit" name="decision" value="confirm">${plan.steps.length === 0 ? 'Confirm' : 'Confirm and sign'}</button>`}</div>
</form>`,
  );
}

export function renderResultPage(title: string, text: string, style: 'linked' | 'inline' = 'linked'): string {
  return page(title, `<p class="eyebrow">NMR Delegate</p><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`, style);
}

/** What a recovery-phrase page is for: right after creating the wallet, or "Show my recovery phrase" later. */
export type PhrasePurpose = 'create' | 'reveal';

/**
 * The recovery phrase, drawn by main on its own origin: the app's page can open this window but
 * cannot read it. Words are plain text items (no script on the page; the CSP allows none).
 */
export function renderPhrasePage(words: readonly string[], purpose: PhrasePurpose, style: 'linked' | 'inline' = 'linked'): string {
  const list = words.map((w) => `<li>${escapeHtml(w)}</li>`).join('');
  const why =
    purpose === 'create'
      ? `<p>These ${words.length} words are your wallet. If this computer is lost, broken or replaced, or if you forget your password, they are the only way to get your NMR back. Nobody, not us and not Numerai, can recover them for you.</p>`
      : `<p>These are the ${words.length} words that restore your wallet on any computer. Make sure nobody can see your screen.</p>`;
  const after =
    purpose === 'create'
      ? '<p>When you have written every word down, close this window and go back to NMR Delegate. It will ask you for three of the words, to check your copy.</p>'
      : '<p>Close this window when you are done.</p>';
  return page(
    purpose === 'create' ? 'Write down your recovery phrase' : 'Your recovery phrase',
    `<p class="eyebrow">NMR Delegate · recovery phrase</p>
<h1>${purpose === 'create' ? 'Write down your recovery phrase' : 'Your recovery phrase'}</h1>
${why}
<ol class="phrase" aria-label="Recovery phrase">${list}</ol>
<ul class="rules">
<li>Write the words on paper, in this order, and keep the paper somewhere safe.</li>
<li>Do not take a photo or a screenshot, and do not save them in a file, an email or a chat: anyone who finds the words can take your NMR.</li>
<li>Never type them into a website, and never give them to anyone who asks, even someone who says they are from NMR Delegate or Numerai.</li>
</ul>
${after}`,
    style,
  );
}
