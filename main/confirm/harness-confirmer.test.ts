import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger';
import type { PendingRequest } from '../tx/coordinator';
import type { Plan } from '../tx/plan';
import { testPlan } from '../tx/test-support/plan-fixture';
import { startHarnessConfirmer } from './harness-confirmer';

const plan = testPlan({
  lines: [{ label: 'To <script>alert(1)</script>', value: '5 NMR' }],
  warnings: ['careful'],
  steps: [{ kind: 'delegate', description: 'Delegate 5 NMR to "x"', tx: { to: '0x' + 'b'.repeat(40), data: '0x' }, gasLimit: 100n }],
});
const highFeePlan = testPlan(plan, { highFee: true });

let c: Awaited<ReturnType<typeof startHarnessConfirmer>>;
beforeAll(async () => {
  c = await startHarnessConfirmer(silentLogger);
});
afterAll(() => c.close());

async function present(p: Plan = plan) {
  const decisions: string[] = [];
  const req: PendingRequest = {
    id: Math.random().toString(16).slice(2).padEnd(32, '0').slice(0, 32),
    plan: p,
    expires: Date.now() + 60_000,
    execute: async () => undefined,
  };
  const { confirmUrl } = await c.present(req, (d, o) => (decisions.push(o?.highFeeAccepted ? `${d}+high-fee` : d), true));
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
  it('asks for a tick before confirming an unusually high fee, and refuses a confirm without it', async () => {
    const { url, html, csrf, decisions } = await present(highFeePlan);
    // The words sit in the box with the tick, once; the ordinary warnings stay.
    expect(html.split('unusually high fee: up to 0.8 ETH').length - 1).toBe(1);
    expect(html).toMatch(/<input type="checkbox" name="acceptHighFee" value="yes" required> I accept this unusually high network fee/);
    expect(html).toMatch(/value="reject" formnovalidate/);
    expect(html).toContain('careful');

    const refused = await post(url, `csrf=${csrf}&decision=confirm`, c.url);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Tick “I accept this unusually high network fee” to confirm, or reject.');
    expect((await post(url, `csrf=${csrf}&decision=confirm&acceptHighFee=no`, c.url)).status).toBe(400);
    expect(decisions).toEqual([]);

    expect((await post(url, `csrf=${csrf}&decision=confirm&acceptHighFee=yes`, c.url)).status).toBe(200);
    expect(decisions).toEqual(['confirm+high-fee']);
  });
  it('lets a high-fee request be rejected without the tick', async () => {
    const { url, csrf, decisions } = await present(highFeePlan);
    expect((await post(url, `csrf=${csrf}&decision=reject`, c.url)).status).toBe(200);
    expect(decisions).toEqual(['reject']);
  });
  it('shows no tick for an ordinary fee', async () => {
    const { html } = await present();
    expect(html).not.toContain('acceptHighFee');
  });
  it('takes an operator’s consent (a plan with no steps) from its form and says nothing is signed', async () => {
    const consent = testPlan({ steps: [], title: 'Stake your models automatically each Numerai round' });
    const { url, html, csrf, decisions } = await present(consent);
    expect(html).toContain('Confirming signs nothing now.');
    expect(html).not.toContain('You will sign');
    const done = await post(url, `csrf=${csrf}&decision=confirm`, c.url);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Your choice is saved.');
    expect(decisions).toEqual(['confirm']);
  });
});

describe('harness confirmation window: the loopback host limits (main/harness/loopback-server.ts)', () => {
  const LIMITS = { maxBodyBytes: 2048, headersTimeoutMs: 300, requestTimeoutMs: 600, maxConnections: 20 };
  let small: Awaited<ReturnType<typeof startHarnessConfirmer>>;
  beforeAll(async () => {
    small = await startHarnessConfirmer(silentLogger, LIMITS);
  });
  afterAll(() => small.close());

  it('answers an oversized form 413 without deciding anything, and still takes the real form', async () => {
    const decisions: string[] = [];
    const req: PendingRequest = { id: 'f'.repeat(32), plan, expires: Date.now() + 60_000, execute: async () => undefined };
    const { confirmUrl } = await small.present(req, (d) => (decisions.push(d), true));
    const html = await (await fetch(confirmUrl!)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    const huge = await post(confirmUrl!, `decision=confirm&csrf=${csrf}&pad=${'x'.repeat(LIMITS.maxBodyBytes)}`, small.url);
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain('too large to be a confirmation');
    expect(decisions).toEqual([]);
    const real = await post(confirmUrl!, `decision=reject&csrf=${csrf}`, small.url);
    expect(real.status).toBe(200);
    expect(decisions).toEqual(['reject']);
  });

  it('closes a silent connection and one whose headers never end, within its time-outs', async () => {
    const { connect } = await import('node:net');
    const port = Number(new URL(small.url).port);
    const closedAfter = (bytes: string) =>
      new Promise<number>((resolve) => {
        const t0 = performance.now();
        const s = connect(port, '127.0.0.1');
        s.on('error', () => undefined);
        s.resume(); // reading, so the host's closing is seen
        s.on('close', () => resolve(performance.now() - t0));
        s.write(bytes);
      });
    const [silent, slow] = await Promise.all([
      closedAfter(''),
      closedAfter(`GET /confirm.css HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `),
    ]);
    // Closed by the host, long before a minute (the old confirmation window kept them open).
    expect(silent).toBeLessThan(5_000);
    expect(slow).toBeLessThan(5_000);
  });
});
