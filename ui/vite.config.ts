import { defineConfig } from 'vite';

// The UI is served by the controller at `/`; in `npm run dev`, /api goes to a controller on its default HTTP port.
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts or styles: the controller's Content-Security-Policy allows only files from its origin.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
