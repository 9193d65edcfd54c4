import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { catalogsPlugin } from './server/i18n/vitePlugin.ts';

/** The contract's modules that define zod schemas (the server's validation): kept off the first screen. */
const ZOD_CONTRACT = new Set(
  readdirSync(new URL('./contract/', import.meta.url)).filter((f) => f.endsWith('.ts') && /from 'zod'/.test(readFileSync(new URL(`./contract/${f}`, import.meta.url), 'utf8'))),
);

export default defineConfig({
  plugins: [
    catalogsPlugin(),
    react(),
    tailwindcss(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      manifest: {
        id: '/',
        name: 'Switchboard',
        short_name: 'Switchboard',
        description: "Watch your software's important events and act on them.",
        start_url: '/',
        scope: '/',
        display: 'standalone',
        lang: 'en',
        dir: 'ltr',
        orientation: 'any',
        categories: ['productivity', 'developer', 'business'],
        theme_color: '#0f172a',
        background_color: '#0f172a',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        screenshots: [
          { src: '/screenshots/feed-narrow.png', sizes: '720x1560', type: 'image/png', label: 'The live event feed on a phone' },
          { src: '/screenshots/feed-wide.png', sizes: '1280x860', type: 'image/png', form_factor: 'wide', label: 'The event feed on a desktop, in dark mode' },
        ],
      },
      // Not the languages' texts (assets/locale-<hash>/): a device downloads its own language's only (the worker keeps what it loads).
      injectManifest: { globPatterns: ['**/*.{js,css,html}'], globIgnores: ['**/locale-*/**'] },
    }),
  ],
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' } },
  build: {
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Left alone, the bundler cuts what the first screen shares with the lazy pages into many
        // small files (React, the query library, the router…): each compresses worse on its own and
        // costs a request. One chunk for the libraries and src/lib, one for the rest of the first screen.
        codeSplitting: {
          // Also the small modules the first screen shares with lazy pages (the project from the URL and
          // the last one used, the key made in this tab, who is signed in, the feed's requests): with the
          // first screen, not a request of their own each (left alone, each became a chunk of its own).
          groups: [
            {
              name: 'libs',
              // Not what only lazy pages use (the device sniffing of install and push, the insights'
              // wire types, the contract's zod schemas — the first screen loads no zod — and the query
              // library's mutations: the first screen changes nothing until something is pressed): a group
              // takes every module it matches into the first screen.
              test: (id: string) =>
                /node_modules[\\/](react|react-dom|scheduler|@tanstack[\\/](query-core|react-query)|@lingui)[\\/]|[\\/]src[\\/](lib|i18n)[\\/]|[\\/]contract[\\/]|[\\/]src[\\/]features[\\/](projects[\\/](current|landing)|settings[\\/]keyMadeHere|auth[\\/](api|session)|feed[\\/]api)\.ts$/.test(id) &&
                !/[\\/]src[\\/]lib[\\/]device\.ts$|[\\/]contract[\\/]insights\.ts$|[\\/](useMutation|mutationObserver)\.js$/.test(id) &&
                !ZOD_CONTRACT.has(basename(id)),
            },
          ],
        },
      },
    },
  },
});
