import { describe, expect, it } from 'vitest';
import type { BrowserWindowConstructorOptions } from 'electron';
import { phraseWindowOpener, type WindowClass } from './phrase-window';

/** A BrowserWindow stand-in recording what main asked of it (Electron cannot run here). */
function fakeWindowClass() {
  const made: { options: BrowserWindowConstructorOptions; url: string | null; protectedContent: boolean; shown: boolean }[] = [];
  class FakeWindow {
    private readonly rec: (typeof made)[number];
    private readyToShow: (() => void) | null = null;
    constructor(options: BrowserWindowConstructorOptions) {
      this.rec = { options, url: null, protectedContent: false, shown: false };
      made.push(this.rec);
    }
    loadURL(url: string) {
      this.rec.url = url;
      this.readyToShow?.();
      return Promise.resolve();
    }
    focus() {}
    close() {}
    isDestroyed() {
      return false;
    }
    setContentProtection(on: boolean) {
      this.rec.protectedContent = on;
    }
    setMenuBarVisibility() {}
    once(event: string, fn: () => void) {
      if (event === 'ready-to-show') this.readyToShow = fn;
      return this;
    }
    show() {
      this.rec.shown = true;
    }
  }
  return { made, Window: FakeWindow as unknown as WindowClass };
}

describe('phraseWindowOpener', () => {
  it('opens a script-less, sandboxed window without preload, kept out of screen captures, showing main’s document', () => {
    const { made, Window } = fakeWindowClass();
    const open = phraseWindowOpener(Window, () => null);
    open('<!doctype html><title>x</title><p>words & more</p>', 'Your recovery phrase');
    const w = made[0]!;
    const prefs = w.options.webPreferences!;
    expect(prefs.javascript).toBe(false);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.preload).toBeUndefined();
    expect(prefs.devTools).toBe(false);
    expect(w.options.title).toBe('Your recovery phrase');
    expect(w.protectedContent).toBe(true);
    expect(w.url).toBe(`data:text/html;charset=utf-8,${encodeURIComponent('<!doctype html><title>x</title><p>words & more</p>')}`);
    expect(w.shown).toBe(true);
  });
});
