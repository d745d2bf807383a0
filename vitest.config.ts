import { defineConfig } from 'vitest/config';

/** Real devices and a display, for the projects that use them; see test/support/device-fixtures.ts. */
const devices = { globalSetup: ['test/support/device-fixtures.ts'], setupFiles: ['test/support/device-env.ts'] };

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        // Runs on a bare machine: no PulseAudio, X server or browser.
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        // These share one virtual mic, speaker and keyboard, so they take turns.
        extends: true,
        test: { name: 'devices', include: ['test/devices/**/*.test.ts'], fileParallelism: false, ...devices },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['test/browser/**/*.test.ts'], fileParallelism: false, ...devices },
      },
    ],
  },
});
