import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';
import { bundleBudget } from './bundle-budget.ts';
import { emojibaseData } from './emojibase-data.ts';
import { precompress } from './precompress.ts';

export default defineConfig(({ mode }) => {
  // An empty prefix makes loadEnv return API_PORT from the shell as well as from .env files.
  const env = loadEnv(mode, '.', '');
  const target = `http://localhost:${env.API_PORT || '3001'}`;
  return {
    plugins: [react(), tailwindcss(), emojibaseData(), bundleBudget(), precompress()],
    server: {
      // The Host header is kept (no changeOrigin) so the API's same-origin check sees the dev origin.
      proxy: {
        '/api': { target },
        '/socket.io': { target, ws: true },
      },
    },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      rolldownOptions: {
        // A feature's index.ts only re-exports (biome.json keeps other features out of its files). Declared free of
        // side effects, an import through it binds straight to the file that defines the name, so a component that
        // is re-exported there but used only by a lazy chunk (ConversationHeader) stays in that chunk.
        // Other modules: undefined, the default (package.json `sideEffects`, else true).
        treeshake: {
          moduleSideEffects: (id: string) => (/\/src\/features\/[^/]+\/index\.ts$/.test(id) ? false : undefined),
        },
      },
    },
  };
});
