import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. Flags that work on these
// machines (no network but the package registries).
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

const port = Number(process.env.PATRON_E2E_PORT ?? 8099);

export default defineConfig({
  testDir: '.',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'en-GB',
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
  },
  // A fresh server on a temporary database for the run.
  webServer: {
    command: `bash scripts/e2e-server.sh ${port}`,
    cwd: '../..',
    url: `http://127.0.0.1:${port}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
