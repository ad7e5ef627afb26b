import { defineConfig } from 'vite';
import { viewsSharedChunk } from './vite-chunks.js';
import { precompress } from './vite-precompress.js';

const api = process.env.RAVAND_API ?? 'http://localhost:3000';

/** The web client: sources in client/, built into dist/client (served by server/app.ts in production). */
export default defineConfig({
  root: 'client',
  base: '/',
  publicDir: false,
  plugins: [precompress()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2500,
    // every supported browser has native modulepreload
    modulePreload: { polyfill: false },
    // .vite/manifest.json: the server adds the preloads of the view an address names to the shell (server/http/app-shell.ts)
    manifest: true,
    rolldownOptions: {
      // one chunk for what several views share (vite-chunks.ts)
      output: {
        codeSplitting: {
          groups: [
            { name: viewsSharedChunk, debugName: 'views-shared', includeDependenciesRecursively: false },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/healthz': { target: api },
      '/socket.io': { target: api, ws: true },
    },
  },
});
