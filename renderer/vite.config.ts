import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/**
 * The app, or (mode "bench-pages", `scripts/build-all.mjs --bench`) the bench pages (chart, model
 * table) built beside it into the same folder: a build of their own, so that the app's chunks are
 * the ones it ships (in one build with the app, the pages split its first screen into five files
 * instead of two) and an app build, and the installers made from it, hold nothing but the app.
 */
export default defineConfig(({ mode }) => {
  const benchPages = mode === 'bench-pages';
  const input: Record<string, string> = benchPages
    ? {
        'chart-bench': fileURLToPath(new URL('./bench/chart-bench.html', import.meta.url)),
        'table-bench': fileURLToPath(new URL('./bench/table-bench.html', import.meta.url)),
      }
    : { index: fileURLToPath(new URL('./index.html', import.meta.url)) };
  return {
    root: fileURLToPath(new URL('.', import.meta.url)),
    // Relative asset paths so the same build loads from file:// in Electron and from the harness.
    base: './',
    plugins: [react()],
    build: {
      outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
      // The bench pages are added to the app's build, not in place of it.
      emptyOutDir: !benchPages,
      target: 'es2022',
      chunkSizeWarningLimit: 700,
      rollupOptions: { input },
    },
  };
});
