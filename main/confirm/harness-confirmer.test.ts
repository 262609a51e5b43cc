import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger';
import type { PendingRequest } from '../tx/coordinator';
import type { Plan } from '../tx/plan';
import { startHarnessConfirmer } from './harness-confirmer';

const plan: Plan = {
  holder: '0x' + 'a'.repeat(40),
  chainId: 31337,
  networkLabel: 'Local demo chain',
  title: 'Delegate 5 NMR',
  lines: [{ label: 'To <script>alert(1)</script>', value: '5 NMR' }],
  warnings: ['careful'],
  steps: [{ kind: 'delegate', description: 'Delegate 5 NMR to "x"', tx: { to: '0x' + 'b'.repeat(40), data: '0x' }, gasLimit: 100n }],
  fees: { type: 2, maxFeePerGas: 10n, maxPriorityFeePerGas: 1n },
  gasCostWei: 1000n,
  blocker: null,
};

let c: Awaited<ReturnType<typeof startHarnessConfirmer>>;
beforeAll(async () => {
  c = await startHarnessConfirmer(silentLogger);
});
afterAll(() => c.close());

async function present() {
  const decisions: string[] = [];
  const req: PendingRequest = { id: Math.random().toString(16).slice(2).padEnd(32, '0').slice(0, 32), plan, expires: Date.now() + 60_000, execute: async () => undefined };
  const { confirmUrl } = await c.present(req, (d) => decisions.push(d));
  const html = await (await fetch(confirmUrl!)).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
  return { url: confirmUrl!, html, csrf, decisions };
}

const post = (url: string, body: string, origin: string | null) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) }, body });

describe('harness confirmation window', () => {
  it('shows the plan with every text escaped', async () => {
    const { html } = await present();
    expect(html).toContain('Delegate 5 NMR');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
  });
  it('refuses a post from another origin, such as the app page, even with the right token', async () => {
    const { url, csrf, decisions } = await present();
    const r = await post(url, `csrf=${csrf}&decision=confirm`, 'http://127.0.0.1:1');
    expect(r.status).toBe(403);
    expect(decisions).toEqual([]);
  });
  it('refuses a post without the form token', async () => {
    const { url, decisions } = await present();
    expect((await post(url, 'decision=confirm', c.url)).status).toBe(403);
    expect((await post(url, 'csrf=guess&decision=confirm', c.url)).status).toBe(403);
    expect(decisions).toEqual([]);
  });
  it('takes one decision from its own form, once', async () => {
    const { url, csrf, decisions } = await present();
    expect((await post(url, `csrf=${csrf}&decision=confirm`, c.url)).status).toBe(200);
    expect(decisions).toEqual(['confirm']);
    expect((await post(url, `csrf=${csrf}&decision=confirm`, c.url)).status).toBe(404);
    expect(decisions).toEqual(['confirm']);
  });
  it('cannot be framed by another page', async () => {
    const { url } = await present();
    const r = await fetch(url);
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(r.headers.get('x-frame-options')).toBe('DENY');
  });
});
