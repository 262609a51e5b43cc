import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger';
import { startHarnessConfirmer } from './harness-confirmer';

/** The harness's recovery-phrase window: main's own origin shows the words; the app's page only gets the URL. */
const WORDS = ['legal', 'winner', 'thank', 'year', 'wave', 'sausage', 'worth', 'useful', 'legal', 'winner', 'thank', '<b>yellow</b>'];

let c: Awaited<ReturnType<typeof startHarnessConfirmer>>;
beforeAll(async () => {
  c = await startHarnessConfirmer(silentLogger);
});
afterAll(() => c.close());

const show = (key: string, expires = Date.now() + 60_000) => c.show({ key, purpose: 'create', words: WORDS, expires });
const items = (html: string) => [...html.matchAll(/<li>([^<]*(?:&lt;[^<]*)*)<\/li>/g)].map((m) => m[1]);

describe('harness recovery-phrase window', () => {
  it('shows every word, in order and escaped, on its own origin, with why to write them down', async () => {
    const { phraseUrl } = await show('draft:a');
    expect(phraseUrl).toMatch(new RegExp(`^${c.url}/phrase/[0-9a-f]{32}$`));
    const r = await fetch(phraseUrl!);
    expect(r.status).toBe(200);
    const html = await r.text();
    const list = /<ol class="phrase" aria-label="Recovery phrase">(.*?)<\/ol>/.exec(html)![1]!;
    expect(items(list)).toEqual([...WORDS.slice(0, 11), '&lt;b&gt;yellow&lt;/b&gt;']);
    expect(html).toContain('only way to get your NMR back');
    expect(html).not.toContain('<script');
    // Not readable by the app's page (no CORS), not framable, not cached.
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('stops showing the words once forgotten (created, locked), expired, or replaced under the same key', async () => {
    const a = (await show('draft:b')).phraseUrl!;
    const b = (await show('reveal')).phraseUrl!;
    c.forget('draft:b');
    expect((await fetch(a)).status).toBe(404);
    expect((await fetch(b)).status).toBe(200);
    c.forget();
    const gone = await fetch(b);
    expect(gone.status).toBe(404);
    expect(await gone.text()).not.toContain('sausage');

    expect((await fetch((await show('old', Date.now() - 1)).phraseUrl!)).status).toBe(404);
    const first = (await show('reveal')).phraseUrl!;
    const second = (await show('reveal')).phraseUrl!;
    expect((await fetch(first)).status).toBe(404);
    expect((await fetch(second)).status).toBe(200);
  });

  it('answers nothing but GET, and nothing for a guessed address', async () => {
    const { phraseUrl } = await show('draft:c');
    expect((await fetch(phraseUrl!, { method: 'POST', headers: { origin: c.url } })).status).toBe(405);
    expect((await fetch(`${c.url}/phrase/${'0'.repeat(32)}`)).status).toBe(404);
    // A page on another host name that points at 127.0.0.1 (DNS rebinding) gets nothing.
    const status = await new Promise<number>((resolve, reject) =>
      get(phraseUrl!, { headers: { host: 'evil.example' } }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject),
    );
    expect(status).toBe(421);
  });
});
