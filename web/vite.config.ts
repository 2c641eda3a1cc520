import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into web/dist and served by Vigil itself (src/api/static.ts); hashed names under /assets/ are cached for a year.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // Cytoscape is large and only the topology page needs it; split it so first render stays quick.
        manualChunks: (id: string) =>
          id.includes('node_modules/cytoscape') ? 'cytoscape' : id.includes('node_modules/uplot') ? 'uplot' : undefined,
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
