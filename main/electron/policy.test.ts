import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { externalUrl, isAllowedExternalUrl, RENDERER_URL, rendererFileFor } from './policy';
import { CONTENT_SECURITY_POLICY } from '../harness/server';
import { txExplorerUrl } from '../../shared/explorer';
import { parseCsp, RENDERER_CSP } from '../security/csp';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('links the app may open in the browser', () => {
  it('allows https links to the allowlisted hosts, normalized', () => {
    expect(externalUrl('https://numer.ai/models')).toBe('https://numer.ai/models');
    expect(externalUrl('https://etherscan.io/tx/0xabc')).toBe('https://etherscan.io/tx/0xabc');
    expect(externalUrl('https://sepolia.etherscan.io/address/0x1')).toBe('https://sepolia.etherscan.io/address/0x1');
    expect(externalUrl('HTTPS://NUMER.AI/x?y=1#z')).toBe('https://numer.ai/x?y=1#z');
    expect(externalUrl('https://numer.ai:443/')).toBe('https://numer.ai/'); // the default port is no port
  });
  it.each([
    ['http, not https', 'http://numer.ai/'],
    ['a longer host that starts with an allowed one', 'https://numer.ai.evil.example/'],
    ['an allowed name as credentials', 'https://numer.ai@evil.example/'],
    ['credentials on an allowed host', 'https://user:pw@numer.ai/'],
    ['a sub-domain not on the list', 'https://evil.numer.ai/'],
    ['a look-alike', 'https://numer-ai.com/'],
    ['a trailing dot', 'https://numer.ai./'],
    ['another port', 'https://numer.ai:8443/'],
    ['backslash trick', 'https://evil.example\\@numer.ai/'],
    ['javascript:', 'javascript:alert(1)'],
    ['file:', 'file:///etc/passwd'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['the app itself', 'app://renderer/index.html'],
    ['a custom protocol handler', 'ms-msdt:/id PCWDiagnostic'],
    ['smb share', 'smb://numer.ai/share'],
    ['not a URL', 'numer.ai'],
    ['empty', ''],
    ['very long', `https://numer.ai/${'a'.repeat(3000)}`],
  ])('refuses %s', (_why, url) => {
    expect(externalUrl(url)).toBeNull();
    expect(isAllowedExternalUrl(url)).toBe(false);
  });
  it('opens the explorer links the History screen makes, and the screen makes none for a local chain', () => {
    const hash = `0x${'Ab'.repeat(32)}`;
    for (const chainId of [1, 11155111]) {
      const url = txExplorerUrl(chainId, hash);
      expect(url).toMatch(/^https:\/\/.*\/tx\/0x(ab){32}$/);
      expect(externalUrl(url)).toBe(url);
    }
    expect(txExplorerUrl(31337, hash)).toBeNull();
    expect(txExplorerUrl(1, '0x1234')).toBeNull();
  });
  it('refuses what is not a string', () => {
    for (const v of [undefined, null, 42, {}, ['https://numer.ai/'], new URL('https://numer.ai/')]) expect(externalUrl(v)).toBeNull();
  });
});

describe('the app:// protocol serves only the built renderer', () => {
  const dir = resolve('/srv/app/renderer');
  it('maps the page and its assets inside the folder', () => {
    expect(RENDERER_URL).toBe('app://renderer/index.html');
    expect(rendererFileFor('app://renderer/index.html', dir)).toBe(join(dir, 'index.html'));
    expect(rendererFileFor('app://renderer/', dir)).toBe(join(dir, 'index.html'));
    expect(rendererFileFor('app://renderer', dir)).toBe(join(dir, 'index.html'));
    expect(rendererFileFor('app://renderer/assets/index-1.js?v=2#x', dir)).toBe(join(dir, 'assets', 'index-1.js'));
    expect(rendererFileFor('app://renderer/assets/a%20b.css', dir)).toBe(join(dir, 'assets', 'a b.css'));
  });
  it.each([
    'app://renderer/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'app://renderer/..%5c..%5cwindows%5cwin.ini',
    'app://renderer/index.html%00.png',
    'app://renderer/%E0%A4%A',
    'app://other/index.html',
    'app://user:pw@renderer/index.html',
    'file:///srv/app/renderer/index.html',
    'https://renderer/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    expect(rendererFileFor(url, dir)).toBeNull();
  });
  it.each([
    'app://renderer/../../etc/passwd',
    'app://renderer/%2e%2e/%2E%2E/etc/passwd',
    'app://renderer//etc/passwd',
    'app://renderer/assets/../../../x',
  ])('keeps %s inside the folder (the URL parser folds the dot segments)', (url) => {
    expect(rendererFileFor(url, dir)?.startsWith(dir + '/')).toBe(true);
  });
});

describe('the renderer CSP', () => {
  it('is the same in the page, the harness header and the app:// header (bar frame-ancestors, which a meta tag cannot set)', () => {
    const html = readFileSync(join(root, 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1];
    expect(meta).toBeTruthy();
    const header = parseCsp(RENDERER_CSP);
    expect(CONTENT_SECURITY_POLICY).toBe(RENDERER_CSP);
    header.delete('frame-ancestors');
    expect(parseCsp(meta!)).toEqual(header);
  });
  it('allows no inline script, no eval, no remote origin, no framing', () => {
    const csp = parseCsp(RENDERER_CSP);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    for (const sources of csp.values()) for (const s of sources) expect(s).not.toMatch(/^(\*|https?:|'unsafe-eval'|'wasm-unsafe-eval')$/);
  });
});
