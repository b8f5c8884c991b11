import { defineConfig } from 'vitest/config';

// Workspace packages resolve each other's `src/` through this export condition, so tests need
// no build; the published shape (dist/) is what `pnpm check:packages` verifies.
const sourceCondition = '@sturdysocket/source';

export default defineConfig({
  resolve: { conditions: [sourceCondition, 'module', 'node', 'import', 'default'] },
  ssr: {
    resolve: { conditions: [sourceCondition, 'node', 'import', 'default'], externalConditions: [sourceCondition] },
  },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/src/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'e2e-node',
          include: ['e2e/node/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
    typecheck: { enabled: false },
  },
});
