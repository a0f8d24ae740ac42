import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (p: string): string => fileURLToPath(new URL(`./packages/${p}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@keepdist\/autograd\/testing$/, replacement: src('autograd/src/testing/index.ts') },
      { find: /^@keepdist\/autograd\/internal$/, replacement: src('autograd/src/internal.ts') },
      { find: /^@keepdist\/dispersion\/internal$/, replacement: src('dispersion/src/internal.ts') },
      { find: /^@keepdist\/autograd$/, replacement: src('autograd/src/index.ts') },
      { find: /^@keepdist\/sphere$/, replacement: src('sphere/src/index.ts') },
      { find: /^@keepdist\/dispersion$/, replacement: src('dispersion/src/index.ts') },
      { find: /^@keepdist\/bench$/, replacement: src('bench/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    // compiles the wasm kernels when the generated module is missing or stale
    globalSetup: ['packages/autograd/scripts/build-wasm.mjs'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
