import { cpSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          serve: resolve(__dirname, 'src/main/serve.ts'),
        },
      },
    },
    plugins: [
      {
        // The built-in runbooks are YAML files read at run time: ship them beside main.
        name: 'opsdeck-builtin-runbooks',
        closeBundle: () =>
          cpSync(
            resolve(__dirname, 'src/main/runbooks/builtin'),
            resolve(__dirname, 'out/main/runbooks'),
            { recursive: true },
          ),
      },
      {
        // The built-in checklists too: YAML read at run time, shipped beside main.
        name: 'opsdeck-builtin-checklists',
        closeBundle: () =>
          cpSync(
            resolve(__dirname, 'src/main/checklists/builtin'),
            resolve(__dirname, 'out/main/checklists'),
            { recursive: true },
          ),
      },
    ],
  },
  preload: {
    build: {
      // The sandboxed preload cannot require node_modules: bundle everything into one file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
    plugins: [react()],
  },
});
