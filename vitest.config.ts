import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/golden/**/*.test.ts', 'test/conformance/**/*.test.ts',
            'test/commands/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          // Against a real control plane and the real istioctl, linkerd and helm (test/cluster).
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/cluster/global-setup.ts'],
          // A cold build of the test binaries happens inside global setup.
          hookTimeout: 600_000,
          testTimeout: 600_000,
          // One cluster for all files; files running at once would fight over its namespaces.
          fileParallelism: false,
        },
      },
    ],
  },
});
