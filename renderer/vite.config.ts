import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/**
 * The bench pages (chart, model table) are built only for `npm run bench` (scripts/build-all.mjs --bench sets this), so
 * an app build (and the installers made from it) holds nothing but the app.
 */
const withBenchPages = process.env.NMR_DELEGATE_BENCH_PAGES === '1';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset paths so the same build loads from file:// in Electron and from the harness.
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        // Used only by `npm run bench`; they share the chart chunk and the model table with the app.
        ...(withBenchPages
          ? {
              'chart-bench': fileURLToPath(new URL('./bench/chart-bench.html', import.meta.url)),
              'table-bench': fileURLToPath(new URL('./bench/table-bench.html', import.meta.url)),
            }
          : {}),
      },
    },
  },
});
