import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyNativeTheme, WINDOW_BACKGROUND, windowBackground } from './native-theme';

/** nativeTheme as Electron documents it: themeSource overrides the OS, shouldUseDarkColors follows. */
function fakeNativeTheme(osDark: boolean) {
  return {
    themeSource: 'system' as 'system' | 'light' | 'dark',
    get shouldUseDarkColors() {
      return this.themeSource === 'system' ? osDark : this.themeSource === 'dark';
    },
  };
}

describe('the native theme', () => {
  it('follows the app’s setting over the OS, and paints open windows in the page’s colour', () => {
    const nt = fakeNativeTheme(false);
    const painted: string[] = [];
    const win = { setBackgroundColor: (c: string) => void painted.push(c) };
    applyNativeTheme('dark', nt, () => [win]);
    expect(nt.themeSource).toBe('dark');
    applyNativeTheme('light', nt, () => [win]);
    applyNativeTheme('system', nt, () => [win]);
    expect(nt.themeSource).toBe('system');
    expect(painted).toEqual([WINDOW_BACKGROUND.dark, WINDOW_BACKGROUND.light, WINDOW_BACKGROUND.light]);
    expect(windowBackground(fakeNativeTheme(true))).toBe(WINDOW_BACKGROUND.dark);
  });

  it("uses the page's own background colours (no white flash before a dark page paints)", () => {
    const css = readFileSync(new URL('../../renderer/src/styles.css', import.meta.url), 'utf8');
    const bg = /--bg:\s*var\(--when-light,\s*(#[0-9a-f]{6})\)\s*var\(--when-dark,\s*(#[0-9a-f]{6})\)/i.exec(css);
    expect(bg, 'the --bg declaration in styles.css').not.toBeNull();
    expect({ light: bg![1]!.toLowerCase(), dark: bg![2]!.toLowerCase() }).toEqual(WINDOW_BACKGROUND);
  });
});
