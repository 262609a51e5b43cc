import { formatNmr } from '../../shared/money';
import type { Plan } from '../tx/plan';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
:root { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; color: #16202c; background: #f6f7f9; }
@media (prefers-color-scheme: dark) { :root { color: #e6ebf1; background: #0f141a; } main { background: #171e27 !important; border-color: #273140 !important; } }
body { margin: 0; padding: 1.5rem; }
main { max-width: 560px; margin: 0 auto; background: #fff; border: 1px solid #e1e5ea; border-radius: 12px; padding: 1.4rem 1.6rem; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: .75rem; color: #3a5bd9; font-weight: 700; margin: 0; }
h1 { font-size: 1.4rem; margin: .3rem 0 1rem; }
dl { display: grid; grid-template-columns: 11rem 1fr; gap: .45rem 1rem; margin: 0 0 1rem; }
dt { color: #5b6776; } dd { margin: 0; overflow-wrap: anywhere; }
ol { padding-left: 1.2rem; } li { margin: .35rem 0; } code { font-size: .8rem; color: #5b6776; overflow-wrap: anywhere; }
.warn { background: #fff7e6; color: #8a5300; padding: .5rem .7rem; border-radius: 8px; }
.blocker { background: #fdecea; color: #b42318; padding: .5rem .7rem; border-radius: 8px; }
.buttons { display: flex; gap: .7rem; justify-content: flex-end; margin-top: 1.2rem; }
button { font: inherit; padding: .6rem 1.1rem; border-radius: 8px; border: 1px solid #c9d0d9; background: transparent; color: inherit; cursor: pointer; }
button.primary { background: #3a5bd9; color: #fff; border-color: #3a5bd9; font-weight: 600; }
`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="/confirm.css"></head><body><main>${body}</main></body></html>`;
}

export const confirmCss = STYLE;

/** The confirmation, drawn by main from the same Plan that will be signed. */
export function renderConfirmPage(plan: Plan, action: string, csrf: string): string {
  const lines = plan.lines.map((l) => `<dt>${escapeHtml(l.label)}</dt><dd>${escapeHtml(l.value)}</dd>`).join('');
  const steps = plan.steps
    .map((s) => `<li>${escapeHtml(s.description)}<br><code>to ${escapeHtml(String(s.tx.to))}</code></li>`)
    .join('');
  const warnings = plan.warnings.map((w) => `<p class="warn">${escapeHtml(w)}</p>`).join('');
  const blocker = plan.blocker ? `<p class="blocker" role="alert">${escapeHtml(plan.blocker)}</p>` : '';
  return page(
    `Confirm: ${plan.title}`,
    `<p class="eyebrow">NMR Delegate · confirm with care</p>
<h1>${escapeHtml(plan.title)}</h1>
<dl><dt>Network</dt><dd>${escapeHtml(plan.networkLabel)} (chain id ${plan.chainId})</dd><dt>Your wallet</dt><dd>${escapeHtml(plan.holder)}</dd>${lines}</dl>
${warnings}
<p>You will sign ${plan.steps.length} transaction${plan.steps.length === 1 ? '' : 's'}, in this order:</p>
<ol>${steps}</ol>
<p>Network fee, at most about ${escapeHtml(formatNmr(plan.gasCostWei))} ETH.</p>
${blocker}
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<div class="buttons"><button type="submit" name="decision" value="reject">Reject</button>${plan.blocker ? '' : '<button class="primary" type="submit" name="decision" value="confirm">Confirm and sign</button>'}</div>
</form>`,
  );
}

export function renderResultPage(title: string, text: string): string {
  return page(title, `<p class="eyebrow">NMR Delegate</p><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`);
}
