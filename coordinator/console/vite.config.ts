import { defineConfig } from 'vite';

declare const process: { env: Record<string, string | undefined> };

// Built into the coordinator's classes (console/ on the classpath) and served by './covenant serve' at /console/.
export default defineConfig({
  base: '/console/',
  build: {
    outDir: process.env.COVENANT_CONSOLE_OUT ?? '../target/classes/console',
    emptyOutDir: true,
    target: 'es2022',
    // One script and one stylesheet, no inline scripts: the server's Content-Security-Policy allows only 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
