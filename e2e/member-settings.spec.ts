/** A member (not an admin) sees Settings without the admins' members, keys and secret, and asks for none of them. */
import { spawnSync } from 'node:child_process';
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { type RunningServer, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
const MEMBER = { email: 'member@example.com', password: 'member-password-long' };

test.beforeAll(async () => {
  const request = await playwrightRequest.newContext();
  ({ server } = await startSeededServer(request));
  await request.dispose();
  const made = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'user:create', '--email', MEMBER.email, '--password-stdin'], {
    env: { ...process.env, DATA_DIR: server.dataDir },
    input: MEMBER.password,
    encoding: 'utf8',
  });
  expect(made.stdout).toContain('created member@example.com: member of default');
});
test.afterAll(async () => {
  await server.stop();
});

test('Settings for a member: no API keys or webhook secret, and no request the server would refuse', async ({ page }) => {
  const refused: string[] = [];
  page.on('response', (res) => {
    if (res.status() === 403) refused.push(new URL(res.url()).pathname);
  });
  await page.goto(server.url);
  await page.getByLabel('Email').fill(MEMBER.email);
  await page.getByLabel('Password').fill(MEMBER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Account' })).toBeVisible();
  await expect(page.getByText('Only admins of Default see and change them. You are a member here.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Members', exact: true })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'API keys', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Rotate/ })).toHaveCount(0);
  expect(refused).toEqual([]);
});
