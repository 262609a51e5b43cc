import { describe, expect, it } from 'vitest';
import { electronPhraseWindows, PHRASE_URL_SCHEME, type PhraseWindow } from './electron-phrase-windows';

const WORDS = ['legal', 'winner', 'thank', 'year', 'wave', 'sausage', 'worth', 'useful', 'legal', 'winner', 'thank', '<b>yellow</b>'];

/** Windows as main would open them: their document, whether they are open, how often focused. */
function fakeWindows() {
  const opened: { html: string; title: string; open: boolean; focused: number }[] = [];
  const open = (html: string, title: string): PhraseWindow => {
    const w = { html, title, open: true, focused: 0 };
    opened.push(w);
    return { focus: () => void w.focused++, close: () => void (w.open = false), isDestroyed: () => !w.open };
  };
  return { opened, open };
}

describe('Electron recovery-phrase windows', () => {
  it('opens main’s own window at once with every word escaped, no script, its own CSP; the page gets only a URL', async () => {
    const f = fakeWindows();
    const d = electronPhraseWindows(f.open);
    const { phraseUrl } = await d.show({ key: 'draft:a', purpose: 'create', words: WORDS, expires: Date.now() + 60_000 });
    expect(phraseUrl).toMatch(new RegExp(`^${PHRASE_URL_SCHEME}[0-9a-f]{32}$`));
    for (const w of WORDS.slice(0, 11)) expect(phraseUrl).not.toContain(w);
    expect(f.opened).toHaveLength(1);
    const { html, title } = f.opened[0]!;
    expect(title).toBe('Write down your recovery phrase');
    expect(html).toContain('<li>sausage</li>');
    expect(html).toContain('<li>&lt;b&gt;yellow&lt;/b&gt;</li>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('/confirm.css');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).toContain('only way to get your NMR back');
  });

  it('"Open again" brings the window to the front, or opens it again once closed, until the phrase is forgotten', async () => {
    const f = fakeWindows();
    const d = electronPhraseWindows(f.open);
    const url = (await d.show({ key: 'reveal', purpose: 'reveal', words: WORDS, expires: Date.now() + 60_000 })).phraseUrl!;
    expect(d.reopen(url)).toBe(true);
    expect(f.opened).toHaveLength(1);
    expect(f.opened[0]!.focused).toBe(1);
    f.opened[0]!.open = false; // the person closed it
    expect(d.reopen(url)).toBe(true);
    expect(f.opened).toHaveLength(2);
    expect(f.opened[1]!.title).toBe('Your recovery phrase');
    expect(f.opened[1]!.html).toContain('<li>wave</li>');
    // Locking forgets every phrase and closes its window; asked again, main says there is nothing to show.
    d.forget();
    expect(f.opened[1]!.open).toBe(false);
    expect(d.reopen(url)).toBe(true);
    expect(f.opened).toHaveLength(3);
    expect(f.opened[2]!.html).toContain('has expired or was closed');
    expect(f.opened[2]!.html).not.toContain('wave');
  });

  it('a phrase shown again under the same key replaces the first (its window closes); an expired one shows nothing', async () => {
    let now = 1_000;
    const f = fakeWindows();
    const d = electronPhraseWindows(f.open, () => now);
    const first = (await d.show({ key: 'draft:x', purpose: 'create', words: WORDS, expires: 5_000 })).phraseUrl!;
    const second = (await d.show({ key: 'draft:x', purpose: 'create', words: [...WORDS].reverse(), expires: 5_000 })).phraseUrl!;
    expect(second).not.toBe(first);
    expect(f.opened[0]!.open).toBe(false);
    d.reopen(first);
    expect(f.opened.at(-1)!.html).toContain('has expired or was closed');
    now = 6_000;
    d.reopen(second);
    expect(f.opened.at(-1)!.html).toContain('has expired or was closed');
    d.forget('draft:x');
  });

  it('leaves every other URL to the window-open handler, and refuses malformed phrase URLs without showing words', async () => {
    const f = fakeWindows();
    const d = electronPhraseWindows(f.open);
    await d.show({ key: 'reveal', purpose: 'reveal', words: WORDS, expires: Date.now() + 60_000 });
    expect(d.reopen('https://numer.ai/')).toBe(false);
    expect(d.reopen(`${PHRASE_URL_SCHEME}../../etc/passwd`)).toBe(true);
    expect(f.opened.at(-1)!.html).toContain('has expired or was closed');
    expect(f.opened.at(-1)!.html).not.toContain('sausage');
  });
});
