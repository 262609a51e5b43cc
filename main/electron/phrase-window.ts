import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import type { OpenPhraseWindow } from '../confirm/electron-phrase-windows';

/** What this needs of Electron: the BrowserWindow class (a fake in the tests). */
export type WindowClass = new (
  options: BrowserWindowConstructorOptions,
) => Pick<BrowserWindow, 'loadURL' | 'focus' | 'close' | 'isDestroyed' | 'setContentProtection' | 'setMenuBarVisibility' | 'once' | 'show'>;

/**
 * Opens main's recovery-phrase windows: no preload, no script (`javascript: false`; the document's CSP
 * allows only its own style), sandboxed, beside the app's window. Their contents are kept out of
 * screen captures where the system allows (setContentProtection: Windows and macOS). The document is
 * a data: URL main rendered, so nothing is served and nothing can be fetched. Every web contents gets
 * lockDownContents (main/entry/electron.ts): no navigation and no windows from it.
 */
export function phraseWindowOpener(Window: WindowClass, parent: () => BrowserWindow | null): OpenPhraseWindow {
  return (html, title) => {
    const owner = parent();
    const win = new Window({
      width: 600,
      height: 820,
      minWidth: 420,
      minHeight: 480,
      title,
      show: false,
      ...(owner ? { parent: owner } : {}),
      autoHideMenuBar: true,
      webPreferences: {
        javascript: false,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
        devTools: false,
      },
    });
    win.setContentProtection(true);
    win.setMenuBarVisibility(false);
    win.once('ready-to-show', () => win.show());
    void win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
    return win;
  };
}
