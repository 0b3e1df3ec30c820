import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/golden/**/*.test.ts', 'test/conformance/**/*.test.ts', 'test/commands/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
