import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests spawn the compiled binary; build it from the current sources once per run.
    globalSetup: ['test/support/build-cli.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Servers bind ephemeral loopback ports; files run in parallel on the two cores.
    pool: 'forks',
  },
});
