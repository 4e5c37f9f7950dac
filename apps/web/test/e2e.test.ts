import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoTokens } from '@jam/db';
import { workBudget } from '@jam/testing/work-budget';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, startApi } from '../../api/test/support/api-process.js';
import { apiProxy } from '../vite.config.js';

/**
 * The whole stack in a real browser: a fresh PGlite folder, migrated and seeded
 * by the jam-db CLI (migrated: a copy of the run's template); the built API; the built web app behind Vite's preview
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
      const dataDir = join(workDir, 'data');
      const databaseUrl = `pglite:${dataDir}`;
      // The run's PGlite template, which the global setup migrated with jam-db, saves
      // an initdb and a migrate; without it (a run outside the global setup), migrate here.
      const migrated = process.env.JAM_TEST_PGLITE_MIGRATED;
      if (migrated) cpSync(migrated, dataDir, { recursive: true });
      else jamDb(['migrate'], databaseUrl);
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
      // Playwright's own 30 s default is a guess; a page step costs less than a CLI run does here.
      browser.setDefaultTimeout(workBudget({ cliRuns: 1 }));
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

    /** Dates are written one way everywhere: "6 Jan 2025", never "2025-01-06" or an ISO timestamp. */
    async function expectNoMachineDates(): Promise<void> {
      const text = await page.locator('main').textContent();
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }

    /** What people read on failure: a sentence, never an error code, JSON or a stack. */
    async function expectFriendlyAlert(scope: Locator, sentence: string): Promise<void> {
      const alert = scope.getByRole('alert');
      await alert.getByText(sentence).waitFor();
      expect(await alert.textContent()).not.toMatch(/[{}]|_|\bat \S+:\d+|\b[1-5]\d\d\b|Bearer/);
    }

    /** Linus takes a quest straight through the API, as another tab of his would. */
    async function takeQuestThroughApi(programName: string, questTitle: string): Promise<void> {
      const programs = (await (await fetch(`${api!.url}/programs`)).json()) as {
        id: string;
        name: string;
      }[];
      const programId = programs.find((p) => p.name === programName)!.id;
      const program = (await (await fetch(`${api!.url}/programs/${programId}`)).json()) as {
        quests: { id: string; title: string }[];
      };
      const questId = program.quests.find((q) => q.title === questTitle)!.id;
      const answer = await fetch(`${api!.url}/quests/${questId}/start`, {
        method: 'POST',
        headers: { authorization: `Bearer ${linusToken}` },
      });
      expect(answer.status).toBe(201);
    }

    /** A program's card on the programs page, found by its name. */
    const programCard = (name: string) =>
      page.locator('article.card', { has: page.getByRole('heading', { name }) });

    /** A quest's card, found by its title. */
    const questCard = (title: string) =>
      page.locator('li.card', { has: page.getByRole('heading', { name: title }) });

    it('offers "Apply" only where applications are open and shows dates one way', async () => {
      await step('1-programs', async () => {
        await page.goto(`${webUrl}/#/`);
        await programCard('Evergreen Jam').getByRole('link', { name: 'Apply' }).waitFor();
        await programCard('Spring Build 2031').getByRole('link', { name: 'Apply' }).waitFor();
        await expect(
          programCard('Summer Hack 2024').getByRole('link', { name: 'Apply' }).count(),
        ).resolves.toBe(0);
        await programCard('Summer Hack 2024').getByText('1 Jul 2024 – 29 Jul 2024').waitFor();
        await expectNoMachineDates();
      });

      await step('2-completed-program', async () => {
        await page.getByRole('link', { name: 'Summer Hack 2024' }).click();
        await page.getByRole('heading', { name: 'Summer Hack 2024' }).waitFor();
        await questCard('Map an open data set').getByText('26 Jul 2024').first().waitFor();
        await expect(page.getByRole('link', { name: 'Apply' }).count()).resolves.toBe(0);
        // Nothing to take in a program that is over, so no invitation to sign in for it.
        await expect(page.getByText('as a participant to take a quest').count()).resolves.toBe(0);
        // Its projects are right there: what the program produced.
        await page.getByRole('heading', { name: 'Projects' }).waitFor();
        const project = page.locator('li.project', { hasText: 'Bike Lane Map' });
        await project.getByText('by Margaret Participant').waitFor();
        await project.getByRole('link', { name: 'Live site' }).waitFor();
        await expectNoMachineDates();
      });
    });

    it('lists every project on a page of its own', async () => {
      await step('3-projects', async () => {
        await page
          .getByRole('navigation', { name: 'Sections' })
          .getByRole('link', { name: 'Projects' })
          .click();
        await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
        const questTracker = page.locator('li.project', { hasText: 'Quest Tracker' });
        await questTracker.getByText('by Linus Participant').waitFor();
        await questTracker.getByRole('link', { name: 'Evergreen Jam' }).waitFor();
        await expect(
          questTracker.getByRole('link', { name: 'Code' }).getAttribute('href'),
        ).resolves.toBe('https://github.com/linus-demo/quest-tracker');
      });
    });

    it('signs in as a demo participant, takes a quest, submits one, rates the mentorship and notes a session', async () => {
      await step('4-program-signed-out', async () => {
        await page.goto(`${webUrl}/#/`);
        await page.getByRole('link', { name: 'Evergreen Jam' }).click();
        await page.getByRole('heading', { name: 'Quests' }).waitFor();
        await page.getByRole('heading', { name: 'Ship a hello-world API' }).waitFor();
        await page.getByText('as a participant to take a quest').waitFor();
        await expect(page.getByRole('button', { name: 'Take this quest' }).count()).resolves.toBe(
          0,
        );
      });

      await step('5-sign-in-refused', async () => {
        await page.getByRole('link', { name: 'Sign in' }).first().click();
        await page.getByLabel('API token').fill('jam_dev_nobody_0000');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await expectFriendlyAlert(
          page.locator('main'),
          'That token was not recognised, or it has expired. Check that you pasted all of it.',
        );
      });

      await step('6-signed-in', async () => {
        await page.getByLabel('API token').fill(linusToken);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByText('Signed in as Linus Participant').waitFor();
        await page.getByRole('heading', { name: 'My quests' }).waitFor();
        await expectNoMachineDates();
      });

      await step('7-quest-taken', async () => {
        await page.getByRole('link', { name: 'Programs' }).click();
        await page.getByRole('link', { name: 'Evergreen Jam' }).click();
        // A quest he has already shows where he stands; one he has not, the action.
        await questCard('Write a one-page design doc').getByText('Yours: In progress').waitFor();
        await expect(
          questCard('Write a one-page design doc').getByRole('button').count(),
        ).resolves.toBe(0);
        const paper = questCard('Read and summarise a paper');
        await paper.getByRole('button', { name: 'Take this quest' }).click();
        await paper.getByText('Yours: In progress').waitFor();
        // Taken meanwhile elsewhere (another tab): the click then shows where he stands.
        const loadTest = questCard('Load-test your API');
        await loadTest.getByRole('button', { name: 'Take this quest' }).waitFor();
        await takeQuestThroughApi('Evergreen Jam', 'Load-test your API');
        await loadTest.getByRole('button', { name: 'Take this quest' }).click();
        await loadTest.getByText('Yours: In progress').waitFor();
        await paper.getByRole('link', { name: 'My quests' }).click();
        await questCard('Read and summarise a paper')
          .locator('.status', { hasText: 'In progress' })
          .waitFor();
      });

      await step('8-quest-submitted', async () => {
        const card = questCard('Write a one-page design doc');
        await expect(card.locator('.status').textContent()).resolves.toBe('In progress');
        await card
          .getByLabel('What you did')
          .fill('Design doc: problem, users, approach, non-goals.');
        // A link the API refuses: the page says what to fix, in words.
        await card.getByLabel('Links, one per line').fill('docs.example/linus/design-doc');
        await card.getByRole('button', { name: 'Submit' }).click();
        await expectFriendlyAlert(
          card,
          'Please check the form. Each link must be a full web address starting with https:// or http://.',
        );
        await card.getByLabel('Links, one per line').fill('https://docs.example/linus/design-doc');
        await card.getByRole('button', { name: 'Submit' }).click();
        await card.locator('.status', { hasText: 'Submitted' }).waitFor();
        await card.getByRole('link', { name: 'https://docs.example/linus/design-doc' }).waitFor();
      });

      await step('9-mentorship-rated', async () => {
        await page.getByRole('link', { name: 'Mentorships' }).click();
        const card = page.locator('article.card', {
          has: page.getByRole('heading', { name: 'Mentored by Grace Mentor' }),
        });
        await card.getByText('Scoping the MVP').waitFor();
        await expectNoMachineDates(); // session notes' dates too
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
      expect(mine.find((q) => q.quest.title === 'Read and summarise a paper')?.status).toBe(
        'in_progress',
      );
    });

    /** The diagram is drawn and fits its column: no wider than the figure around it. */
    async function expectDiagramFitsItsColumn(): Promise<void> {
      await page.getByRole('img', { name: 'The Jam database schema' }).waitFor();
      await page.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>('figure.diagram img');
        return img?.complete === true && img.naturalWidth > 0;
      });
      const { shown, natural, column } = await page.evaluate(() => {
        const img = document.querySelector<HTMLImageElement>('figure.diagram img')!;
        const figure = img.closest('figure')!;
        const style = getComputedStyle(figure);
        return {
          shown: img.getBoundingClientRect().width,
          natural: img.naturalWidth,
          column:
            figure.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
        };
      });
      expect(shown).toBeGreaterThan(0);
      expect(shown).toBeLessThanOrEqual(column + 0.5);
      expect(shown).toBeLessThanOrEqual(natural);
    }

    it('shows the schema diagram within its column and the migration status of its database', async () => {
      await step('10-schema', async () => {
        await page.getByRole('link', { name: 'Schema' }).click();
        await expectDiagramFitsItsColumn();
        const table = page.getByRole('table');
        await table.getByRole('row', { name: /0002_api-tokens/ }).waitFor();
        await expect(table.locator('tr.pending').count()).resolves.toBe(0);
        await page.getByText(`Last migrated by @jam/db ${jamDbVersion}`).waitFor();
        const appliedAt = await table.locator('tbody tr td:nth-child(2)').first().textContent();
        expect(appliedAt).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC$/);
        await expectNoMachineDates();
      });
    });

    it('fits a 390 px wide phone screen on every page: no sideways scrolling, the header on two tidy lines', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      const pages = [
        ['11-phone-programs', '#/', 'Programs'],
        ['12-phone-program', '', 'Quests'],
        ['13-phone-projects', '#/projects', 'Projects'],
        ['14-phone-my-quests', '#/my-quests', 'My quests'],
        ['15-phone-mentorships', '#/mentorships', 'Mentorships'],
        ['16-phone-schema', '#/schema', 'Schema'],
        ['17-phone-sign-in', '#/sign-in', 'Signed in'],
      ] as const;
      for (const [name, hash, heading] of pages) {
        await step(name, async () => {
          if (hash) await page.goto(`${webUrl}/${hash}`);
          else {
            await page.goto(`${webUrl}/#/`);
            await page.getByRole('link', { name: 'Evergreen Jam' }).click();
          }
          await page.getByRole('heading', { name: heading }).first().waitFor();
          await page
            .locator('header .who', { hasText: 'Signed in as Linus Participant' })
            .waitFor();
          if (name === '16-phone-schema') await expectDiagramFitsItsColumn();
          const layout = await page.evaluate(() => {
            const box = (element: Element) => element.getBoundingClientRect();
            const header = document.querySelector('header')!;
            const links = Array.from(document.querySelectorAll('nav[aria-label="Sections"] a')).map(
              box,
            );
            const who = document.querySelector('header .who')!;
            return {
              scrollWidth: document.documentElement.scrollWidth,
              innerWidth: window.innerWidth,
              header: box(header),
              links: links.map((l) => ({ left: l.left, right: l.right, top: l.top })),
              who: box(who),
              whoTruncated: who.scrollWidth > who.clientWidth,
            };
          });
          // Nothing makes the page wider than the screen.
          expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
          // Every section link is on screen, all of them on one line.
          expect(layout.links).toHaveLength(5);
          for (const link of layout.links) {
            expect(link.left).toBeGreaterThanOrEqual(0);
            expect(link.right).toBeLessThanOrEqual(layout.innerWidth);
            expect(link.top).toBe(layout.links[0]!.top);
          }
          // "Signed in as…" sits inside the header, whole.
          expect(layout.who.right).toBeLessThanOrEqual(layout.innerWidth);
          expect(layout.who.bottom).toBeLessThanOrEqual(layout.header.bottom);
          expect(layout.who.top).toBeGreaterThanOrEqual(layout.header.top);
          expect(layout.whoTruncated).toBe(false);
        });
      }
      await page.setViewportSize({ width: 1100, height: 900 });
    });
  },
);
