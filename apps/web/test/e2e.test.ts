import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoTokens } from '@jam/db';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, startApi } from '../../api/test/support/api-process.js';
import { apiProxy } from '../vite.config.js';

/**
 * The whole stack in a real browser: a fresh PGlite folder, migrated and seeded
 * by the jam-db CLI; the built API; the built web app behind Vite's preview
 * server (which proxies /api like the dev server); Debian's Chromium.
 */
const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const webRoot = fileURLToPath(new URL('..', import.meta.url));
const artifacts = join(webRoot, 'test-results');
const jamDbBin = join(
  dirname(createRequire(import.meta.url).resolve('@jam/db/package.json')),
  'bin',
  'jam-db.js',
);
const linusToken = demoTokens.find((t) => t.email === 'linus@demo.jam.dev')!.token;
const jamDbVersion = (createRequire(import.meta.url)('@jam/db/package.json') as { version: string })
  .version;

const hasChromium = existsSync(chromiumPath);
if (!hasChromium) {
  if (process.env.CI === 'true') {
    throw new Error(
      `The browser test needs Chromium at ${chromiumPath}, and it is missing. Install it with \`apt-get install -y chromium\` (.ci/run does this).`,
    );
  }
  console.warn(
    `\n[@jam/web] ${chromiumPath} is missing: the browser test is SKIPPED. Install it with \`apt-get install -y chromium\`.\n`,
  );
}

function jamDb(args: string[], databaseUrl: string): void {
  const { INIT_CWD, JAM_DB_DRIVER, ...env } = process.env;
  const run = spawnSync(process.execPath, [jamDbBin, ...args], {
    env: { ...env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`jam-db ${args.join(' ')} failed:\n${run.stderr}`);
}

describe.skipIf(!hasChromium)(
  hasChromium
    ? 'the web app in Chromium'
    : 'the web app in Chromium (skipped: no /usr/bin/chromium)',
  () => {
    let workDir: string;
    let api: ApiProcess | undefined;
    let web: PreviewServer | undefined;
    let browser: BrowserContext | undefined;
    let page: Page;
    let webUrl: string;

    beforeAll(async () => {
      workDir = mkdtempSync(join(tmpdir(), 'jam-e2e-'));
      mkdirSync(artifacts, { recursive: true });
      const databaseUrl = `pglite:${join(workDir, 'data')}`;
      jamDb(['migrate'], databaseUrl);
      jamDb(['seed'], databaseUrl);
      api = await startApi({ DATABASE_URL: databaseUrl });
      web = await preview({
        root: webRoot,
        logLevel: 'silent',
        preview: { host: '127.0.0.1', port: 0, strictPort: false, proxy: apiProxy(api.url) },
      });
      const address = web.httpServer.address();
      if (!address || typeof address === 'string') throw new Error('vite preview has no port');
      webUrl = `http://127.0.0.1:${address.port}`;
      browser = await chromium.launchPersistentContext(join(workDir, 'chromium-profile'), {
        executablePath: chromiumPath,
        headless: true,
        args: chromiumArgs,
        viewport: { width: 1100, height: 900 },
      });
      page = browser.pages()[0] ?? (await browser.newPage());
    });

    afterAll(async () => {
      await browser?.close();
      await web?.close();
      const exitCode = await api?.stop();
      rmSync(workDir, { recursive: true, force: true });
      expect(exitCode).toBe(0);
    });

    /** Runs a step and keeps a screenshot of how it ended, pass or fail. */
    async function step(name: string, body: () => Promise<void>): Promise<void> {
      try {
        await body();
      } finally {
        await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
      }
    }

    it('signs in as a demo participant, submits a quest, rates the mentorship and notes a session', async () => {
      await step('1-programs', async () => {
        await page.goto(`${webUrl}/#/`);
        await page.getByRole('link', { name: 'Evergreen Jam' }).click();
        await page.getByRole('heading', { name: 'Quests' }).waitFor();
        await page.getByRole('heading', { name: 'Ship a hello-world API' }).waitFor();
      });

      await step('2-signed-in', async () => {
        await page.getByRole('link', { name: 'Sign in' }).click();
        await page.getByLabel('API token').fill(linusToken);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByText('Signed in as Linus Participant').waitFor();
        await page.getByRole('heading', { name: 'My quests' }).waitFor();
      });

      await step('3-quest-submitted', async () => {
        const card = page.locator('li.card', {
          has: page.getByRole('heading', { name: 'Write a one-page design doc' }),
        });
        await expect(card.locator('.status').textContent()).resolves.toBe('In progress');
        await card
          .getByLabel('What you did')
          .fill('Design doc: problem, users, approach, non-goals.');
        await card.getByLabel('Links, one per line').fill('https://docs.example/linus/design-doc');
        await card.getByRole('button', { name: 'Submit' }).click();
        await card.locator('.status', { hasText: 'Submitted' }).waitFor();
        await card.getByRole('link', { name: 'https://docs.example/linus/design-doc' }).waitFor();
      });

      await step('4-mentorship-rated', async () => {
        await page.getByRole('link', { name: 'Mentorships' }).click();
        const card = page.locator('article.card', {
          has: page.getByRole('heading', { name: 'Mentored by Grace Mentor' }),
        });
        await card.getByText('Scoping the MVP').waitFor();
        await expect(card.locator('.given-rating').textContent()).resolves.toBe(
          'Your rating: not yet',
        );
        await card.getByLabel('Your rating of Grace Mentor').selectOption('5');
        await card.getByRole('button', { name: 'Rate' }).click();
        await card.locator('.given-rating', { hasText: 'Your rating: 5/5' }).waitFor();
        await card.getByLabel('Topic').fill('Demo rehearsal');
        await card.getByLabel('Notes').fill('Show the reminders first.');
        await card.getByLabel('Action items, one per line').fill('Cut the intro');
        await card.getByRole('button', { name: 'Add note' }).click();
        await card.getByText('Show the reminders first.').waitFor();
      });

      // What the browser showed is what the database holds.
      const mine = (await (
        await fetch(`${api!.url}/me/quests`, { headers: { authorization: `Bearer ${linusToken}` } })
      ).json()) as { quest: { title: string }; status: string }[];
      expect(mine.find((q) => q.quest.title === 'Write a one-page design doc')?.status).toBe(
        'submitted',
      );
    });

    it('shows the schema diagram and the migration status of its database', async () => {
      await step('5-schema', async () => {
        await page.getByRole('link', { name: 'Schema' }).click();
        const diagram = page.getByRole('img', { name: 'The Jam database schema' });
        await diagram.waitFor();
        await page.waitForFunction(() => {
          const img = document.querySelector<HTMLImageElement>('figure.diagram img');
          return img?.complete === true && img.naturalWidth > 0;
        });
        const table = page.getByRole('table');
        await table.getByRole('row', { name: /0002_api-tokens/ }).waitFor();
        await expect(table.locator('tr.pending').count()).resolves.toBe(0);
        await page.getByText(`Last migrated by @jam/db ${jamDbVersion}`).waitFor();
      });
    });
  },
);
