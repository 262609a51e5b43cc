import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeFor, rendererFileAt } from './renderer-files';

// The rule both the Electron protocol and the browser harness serve the renderer by.
describe('renderer files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'renderer-files-'));

  it('maps a request path to a file inside the folder, / to the index page', () => {
    expect(rendererFileAt(dir, '/')).toBe(join(dir, 'index.html'));
    expect(rendererFileAt(dir, '/assets/app.js')).toBe(join(dir, 'assets', 'app.js'));
    expect(rendererFileAt(dir, '/assets/a%20b.css')).toBe(join(dir, 'assets', 'a b.css'));
  });

  it('refuses anything that leaves the folder or is malformed', () => {
    for (const p of ['/../secret', '/%2e%2e/secret', '/assets/../../secret', '/a%5c..%5csecret', '/a\\b', '/x%00.js', '/%E0%A4%A', '/.'])
      expect(rendererFileAt(dir, p), p).toBeNull();
  });

  it('serves each kind with its type, whatever the case of the ending', () => {
    expect(contentTypeFor('index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('chunk.mjs')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('LOGO.PNG')).toBe('image/png');
    expect(contentTypeFor('data.bin')).toBe('application/octet-stream');
  });
});
