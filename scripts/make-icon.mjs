// Renders build/icon.svg (the one source image) to build/icon.png at 1024×1024, the size
// electron-builder makes every platform's icon from (.icns for macOS, .ico for Windows, the Linux
// sizes). Offline: it draws with the local Chromium through Playwright. Run it after changing the SVG
// (`node scripts/make-icon.mjs`) and commit both files; `npm run dist` uses the committed PNG.
import { chromium } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const SIZE = 1024;
const svgPath = fileURLToPath(new URL('../build/icon.svg', import.meta.url));
const pngPath = fileURLToPath(new URL('../build/icon.png', import.meta.url));

const svg = await readFile(svgPath, 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace(/<svg /, `<svg style="display:block;width:${SIZE}px;height:${SIZE}px" `)}</body></html>`,
  );
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  await writeFile(pngPath, png);
  console.log(`build/icon.png written (${SIZE}×${SIZE}, ${png.length} bytes)`);
} finally {
  await browser.close();
}
