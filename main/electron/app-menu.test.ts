import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { appMenuTemplate, HELP_LINKS, type MenuCommand, type MenuOptions } from './app-menu';

type Item = MenuItemConstructorOptions;

function build(over: Partial<MenuOptions> = {}) {
  const commands: MenuCommand[] = [];
  const opened: string[] = [];
  const template = appMenuTemplate({
    platform: 'linux',
    isPackaged: true,
    onCommand: (c) => commands.push(c),
    openExternal: (url) => opened.push(url),
    ...over,
  });
  return { template, commands, opened };
}

/** Every item of the menu, depth first. */
function all(items: Item[]): Item[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? all(i.submenu) : [])]);
}
const roles = (items: Item[]) => all(items).flatMap((i) => (i.role ? [i.role] : []));
const byLabel = (items: Item[], label: string) => all(items).find((i) => i.label === label)!;
const click = (item: Item) => (item.click as () => void)();

describe('the application menu', () => {
  it('is built from the standard roles: Edit (copy, paste…), Window, Help', () => {
    const { template } = build();
    expect(roles(template)).toEqual(expect.arrayContaining(['editMenu', 'windowMenu', 'help', 'quit', 'zoomIn', 'togglefullscreen']));
  });

  it('has no reload and no developer tools in a packaged app, and has them in development', () => {
    const dev = ['reload', 'forceReload', 'toggleDevTools'];
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const packaged = roles(build({ platform }).template);
      for (const role of dev) expect(packaged, `${platform} ${role}`).not.toContain(role);
    }
    expect(roles(build({ isPackaged: false }).template)).toEqual(expect.arrayContaining(dev));
  });

  it("has macOS's app menu and Close there, and Quit in File elsewhere", () => {
    expect(roles(build({ platform: 'darwin' }).template)).toEqual(expect.arrayContaining(['appMenu', 'close']));
    expect(roles(build({ platform: 'darwin' }).template)).not.toContain('quit');
    expect(roles(build({ platform: 'win32' }).template)).not.toContain('appMenu');
  });

  it('opens the main pages with ⌘/Ctrl 1, 2, 3 and ⌘/Ctrl comma', () => {
    const { template, commands } = build();
    const go = all(template).filter((i) => typeof i.accelerator === 'string' && i.accelerator !== 'CmdOrCtrl+L');
    expect(go.map((i) => [i.label, i.accelerator])).toEqual([
      ['Models', 'CmdOrCtrl+1'],
      ['Portfolio', 'CmdOrCtrl+2'],
      ['History && Export', 'CmdOrCtrl+3'],
      ['Settings', 'CmdOrCtrl+,'],
    ]);
    go.forEach(click);
    expect(commands).toEqual(['models', 'portfolio', 'history', 'settings'].map((page) => ({ kind: 'navigate', page })));
  });

  it('locks the wallet with ⌘/Ctrl L', () => {
    const { template, commands } = build();
    const lock = byLabel(template, 'Lock Wallet');
    expect(lock.accelerator).toBe('CmdOrCtrl+L');
    click(lock);
    expect(commands).toEqual([{ kind: 'lock' }]);
  });

  it("opens the README and the issues from Help in the person's browser", () => {
    const { template, opened } = build();
    click(byLabel(template, 'NMR Delegate Guide'));
    click(byLabel(template, 'Report a Problem…'));
    expect(opened).toEqual([HELP_LINKS.readme, HELP_LINKS.issues]);
    for (const url of opened) expect(url).toMatch(/^https:\/\//);
  });

  it('gives no two items the same shortcut', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      const keys = all(build({ platform, isPackaged: false }).template).flatMap((i) =>
        typeof i.accelerator === 'string' ? [i.accelerator] : [],
      );
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});
