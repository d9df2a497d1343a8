import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['./test/setup.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest.json' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      NO_COLOR: '1',
      // The in-process Lambda handlers log JSON; tests that read logs raise the level themselves.
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
  },
});
