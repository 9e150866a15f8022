import { defineConfig } from 'vitest/config';

// Unit tests of the browser upload engine (queue, sender, network), run by `mvn test` through Node.
export default defineConfig({
  test: {
    include: ['src/test/frontend/**/*.test.ts'],
    environment: 'node',
    coverage: {
      provider: 'v8',
      include: ['src/main/frontend/*.ts'],
      // The service worker is wiring (Workbox + the sync event), exercised in Chromium by the end-to-end tests.
      exclude: ['src/main/frontend/sw.ts'],
      reporter: ['text-summary', 'html', 'lcov'],
      reportsDirectory: 'target/frontend-coverage',
    },
  },
});
