import { defineConfig } from 'vitest/config';

// Unit tests of the browser upload engine (queue, sender, network), run by `mvn test` through Node.
export default defineConfig({
  test: {
    include: ['src/test/frontend/**/*.test.ts'],
    environment: 'node',
    // The build runs these on 2-core machines next to other work: allow for a slow scheduler, not for a hang.
    testTimeout: 20_000,
    coverage: {
      provider: 'v8',
      include: ['src/main/frontend/*.ts'],
      // The service worker is wiring (Workbox + the sync event), exercised in Chromium by the end-to-end tests.
      exclude: ['src/main/frontend/sw.ts', 'src/main/frontend/compress-worker.ts'],
      reporter: ['text-summary', 'html', 'lcov'],
      reportsDirectory: 'target/frontend-coverage',
    },
  },
});
