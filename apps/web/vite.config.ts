import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

export default defineConfig(({ mode }) => {
  // An empty prefix makes loadEnv return API_PORT from the shell as well as from .env files.
  const env = loadEnv(mode, '.', '');
  const target = `http://localhost:${env.API_PORT || '3001'}`;
  return {
    plugins: [react(), tailwindcss()],
    server: {
      // The Host header is kept (no changeOrigin) so the API's same-origin check sees the dev origin.
      proxy: {
        '/api': { target },
        '/socket.io': { target, ws: true },
      },
    },
    build: { outDir: 'dist', emptyOutDir: true },
  };
});
