import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

// electron-vite builds all three: main (Node + electron), preload (sandboxed, so one CJS file
// with no requires but 'electron') and the renderer (React). Output goes to out/.
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      // The sync worker is its own entry: it runs in a worker thread (electron/services/sync/sync.worker.ts).
      rollupOptions: { input: { index: resolve('electron/main/index.ts'), 'sync-worker': resolve('electron/services/sync/sync.worker.ts') } },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      // Two apps: the staff app (index) and the patient portal (portal.html, served by the clinic server at /portal/).
      rollupOptions: {
        input: { index: resolve('renderer/index.html'), portal: resolve('renderer/portal.html') },
        // The boot module sets zod's options before zod loads, so it is a chunk of its own, evaluated
        // before the chunk both apps share (see renderer/src/boot.ts).
        output: { manualChunks: (id: string) => (id.endsWith('/renderer/src/boot.ts') ? 'boot' : undefined) },
      },
    },
  },
});
