import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * A source-level guard over main/ and renderer/src (tests excluded): every IPC entry point into main
 * is registered in one place, through the router, and nothing else touches Electron's IPC or
 * bridge. Parsed with TypeScript's parser, so comments and strings do not count and an alias
 * (`const m = ipcMain`) is caught as a use of its own.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

interface Use {
  file: string;
  line: number;
  name: string;
  how: string;
}

function scan(files: string[], names: Set<string>) {
  const uses: Use[] = [];
  const electronValueImports = new Set<string>();
  const remoteImports = new Set<string>();
  for (const abs of files) {
    const file = relative(root, abs).split('\\').join('/');
    const sf = ts.createSourceFile(
      abs,
      readFileSync(abs, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
      abs.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
    );
    const visit = (node: ts.Node) => {
      if (
        ts.isImportDeclaration(node) &&
        ts.isStringLiteral(node.moduleSpecifier) &&
        node.moduleSpecifier.text.startsWith('@electron/remote')
      ) {
        remoteImports.add(file);
      }
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text === 'electron') {
        const clause = node.importClause;
        const valueNames =
          clause && !clause.isTypeOnly && clause.namedBindings && ts.isNamedImports(clause.namedBindings)
            ? clause.namedBindings.elements.filter((e) => !e.isTypeOnly).map((e) => e.name.text)
            : [];
        if (
          clause?.name ||
          valueNames.length > 0 ||
          (clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings) && !clause.isTypeOnly)
        ) {
          electronValueImports.add(file);
        }
      }
      if (ts.isCallExpression(node) && node.expression.getText(sf) === 'require' && node.arguments[0]?.getText(sf).includes('electron')) {
        electronValueImports.add(file);
      }
      if (ts.isIdentifier(node) && names.has(node.text)) {
        const p = node.parent;
        const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
        let how = ts.SyntaxKind[p.kind];
        if (ts.isPropertyAccessExpression(p) && p.expression === node) how = `.${p.name.text}`;
        else if (ts.isPropertyAccessExpression(p) && p.name === node)
          how = 'property-name'; // x.ipcMain: another object's field
        else if (ts.isImportSpecifier(p)) how = 'import';
        else if (ts.isParameter(p)) how = 'parameter';
        else if (ts.isCallExpression(p) && p.arguments.includes(node)) how = `argument of ${p.expression.getText(sf)}`;
        if (how !== 'property-name') uses.push({ file, line, name: node.text, how });
        if (how === '.handle' && ts.isPropertyAccessExpression(p) && ts.isCallExpression(p.parent)) {
          const callback = p.parent.arguments[1];
          uses.push({ file, line, name: node.text, how: `.handle callback: ${callback?.getText(sf).replace(/\s+/g, ' ')}` });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { uses, electronValueImports, remoteImports };
}

const files = [...sources(join(root, 'main')), ...sources(join(root, 'renderer', 'src'))];
const { uses, electronValueImports, remoteImports } = scan(files, new Set(['ipcMain', 'ipcRenderer', 'contextBridge']));
const usesOf = (name: string) => uses.filter((u) => u.name === name).map((u) => `${u.file}: ${u.how}`);

describe('IPC surface (source scan)', () => {
  it('scans the real tree', () => {
    expect(files.length).toBeGreaterThan(30);
    expect(files.some((f) => f.endsWith(join('electron', 'ipc.ts')))).toBe(true);
  });

  it('registers every ipcMain handler in main/electron/ipc.ts, one loop over the API methods, through router.handle', () => {
    const handles = uses.filter((u) => u.name === 'ipcMain' && u.how === '.handle');
    expect(handles.map((u) => u.file)).toEqual(['main/electron/ipc.ts']);
    const callback = uses.find((u) => u.how.startsWith('.handle callback'))!;
    expect(callback.how).toMatch(
      /^\.handle callback: \(event, input: unknown\) => router\.handle\(method, input, \{ kind: 'ipc', frameUrl: senderFrameUrl\(event, target\) \}\)$/,
    );
    expect(readFileSync(join(root, 'main/electron/ipc.ts'), 'utf8')).toMatch(
      /for \(const method of METHOD_NAMES\) \{\s*ipcMain\.handle\(method,/,
    );
  });

  it('uses ipcMain nowhere else: no on/once/handleOnce listeners, no aliases', () => {
    expect(usesOf('ipcMain').sort()).toEqual(
      [
        'main/electron/ipc.ts: parameter',
        'main/electron/ipc.ts: .handle',
        "main/electron/ipc.ts: .handle callback: (event, input: unknown) => router.handle(method, input, { kind: 'ipc', frameUrl: senderFrameUrl(event, target) })",
        'main/electron/ipc.ts: .removeHandler',
        'main/entry/electron.ts: import',
        'main/entry/electron.ts: argument of registerIpc',
      ].sort(),
    );
  });

  it('keeps ipcRenderer and contextBridge inside the preload, and the removed remote module out', () => {
    expect(new Set(uses.filter((u) => u.name === 'ipcRenderer' || u.name === 'contextBridge').map((u) => u.file))).toEqual(
      new Set(['main/electron/preload.ts']),
    );
    expect([...remoteImports]).toEqual([]);
  });

  it('imports Electron values only in the two entry points: the main-process entry and the preload', () => {
    expect([...electronValueImports].sort()).toEqual(['main/electron/preload.ts', 'main/entry/electron.ts']);
  });
});
