import type { MenuItemConstructorOptions } from 'electron';
import type { MainPage } from '../../shared/api';
// Named imports: the bundle keeps these two fields of package.json, not the whole file.
import { bugs, homepage } from '../../package.json';

/**
 * The application menu, built from Electron's standard roles so copy, paste, window handling and the
 * macOS app menu behave as the platform's own (https://www.electronjs.org/docs/latest/api/menu-item,
 * "Roles"). Reload and the developer tools exist only in development: in a packaged app a reload
 * would drop a transaction being followed, and devtools are a way into the page.
 * No Electron import: main/entry/electron.ts hands the template to Menu.buildFromTemplate.
 */

/** Where Help sends the person: the project's own pages, from package.json. */
export const HELP_LINKS = { readme: `${homepage}#readme`, issues: bugs.url } as const;

export type MenuCommand = { kind: 'navigate'; page: MainPage } | { kind: 'lock' };

export interface MenuOptions {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  onCommand(command: MenuCommand): void;
  openExternal(url: string): void;
}

/** The main pages in the navigation's order, with their shortcuts (⌘1…⌘3 and ⌘, as in most apps). */
const PAGES: { page: MainPage; label: string; accelerator: string }[] = [
  { page: 'models', label: 'Models', accelerator: 'CmdOrCtrl+1' },
  { page: 'portfolio', label: 'Portfolio', accelerator: 'CmdOrCtrl+2' },
  { page: 'history', label: 'History && Export', accelerator: 'CmdOrCtrl+3' },
  { page: 'settings', label: 'Settings', accelerator: 'CmdOrCtrl+,' },
];

export function appMenuTemplate(opts: MenuOptions): MenuItemConstructorOptions[] {
  const isMac = opts.platform === 'darwin';
  const lock: MenuItemConstructorOptions = {
    label: 'Lock Wallet',
    accelerator: 'CmdOrCtrl+L',
    click: () => opts.onCommand({ kind: 'lock' }),
  };
  const go: MenuItemConstructorOptions = {
    label: 'Go',
    submenu: PAGES.map(({ page, label, accelerator }) => ({
      label,
      accelerator,
      click: () => opts.onCommand({ kind: 'navigate', page }),
    })),
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(opts.isPackaged
        ? []
        : ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  // Only the two fixed https addresses of HELP_LINKS (package.json's homepage and bugs) are opened.
  const openReadme = () => opts.openExternal(HELP_LINKS.readme); // eng-disable OPEN_EXTERNAL_JS_CHECK
  const openIssues = () => opts.openExternal(HELP_LINKS.issues); // eng-disable OPEN_EXTERNAL_JS_CHECK
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      { label: 'NMR Delegate Guide', click: openReadme },
      { label: 'Report a Problem…', click: openIssues },
    ],
  };
  return [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    { label: 'File', submenu: [lock, { type: 'separator' }, isMac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    view,
    go,
    { role: 'windowMenu' },
    help,
  ];
}
