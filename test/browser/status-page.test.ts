/// <reference lib="dom" />
// The status pages in a real browser: `serve` with a generated landscape (10,000 shoots on one seed,
// markup in names and reasons on another) and `register` against a loopback seed, loaded in Chromium.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import { FIRST_PER_GROUP } from '../../src/gardener/migration-progress.js';
import { startSeed, until } from '../register/harness.js';
import { launchBrowser, chromium } from '../support/browser.js';
import { sharedCertDir } from '../support/certs.js';
import { spawnServe, LOOPBACK_SERVE_ARGS } from '../support/cli.js';
import {
  HOSTILE_ERROR,
  HOSTILE_NAME,
  HOSTILE_STATE,
  HOSTILE_STATUS,
  LARGE,
  LARGE_SEED_RELEASE,
  writeLandscape,
  writeLandscapeSeeds,
} from '../support/landscape.js';
import { spawnRegister } from '../support/register-process.js';
import { clusterObject } from '../support/clusters.js';
import { RESOURCES } from '../support/fake-kube-api.js';

const dir = mkdtempSync(join(tmpdir(), 'hpm-page-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PEER = 'http://127.0.0.1:8081/';
const GATE = 'RemoveHTTPProxyLegacyPort';

/** Collects what the page's own Content-Security-Policy blocked and any script errors. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return problems;
}

describe.skipIf(!chromium)('status pages in Chromium', () => {
  it('shows progress bars and blocker groups of the landscape, markup as text, and no script runs', async () => {
    const certs = await sharedCertDir();
    const serve = await spawnServe(
      [
        '--cert-dir',
        certs.dir,
        ...LOOPBACK_SERVE_ARGS,
        '--shoots',
        basename(writeLandscape(dir)),
        '--seeds',
        basename(writeLandscapeSeeds(dir)),
        '--peer-status-url',
        PEER,
        '--log-level',
        'silent',
      ],
      { cwd: dir },
    );
    const { browser, close } = await launchBrowser();
    try {
      const page = await browser.newPage();
      const problems = watch(page);
      await page.setViewport({ width: 1280, height: 900 });
      const response = await page.goto(`${serve.metricsUrl}/`, { waitUntil: 'load' });
      expect(response!.status()).toBe(200);
      expect(response!.headers()['content-security-policy']).toContain("default-src 'none'");

      // One row per seed and gate, with a progress bar of migrated over counted.
      const rows = await page.$$eval('tr.gate-row', (trs) =>
        trs.map((tr) => {
          const bar = tr.querySelector('progress')!;
          return {
            seed: tr.getAttribute('data-seed'),
            gate: tr.getAttribute('data-gate'),
            value: bar.value,
            max: bar.max,
            text: tr.textContent,
          };
        }),
      );
      expect(rows.map((r) => `${r.seed} ${r.gate}`)).toEqual([
        'aws-eu1 RemoveAPIServerProxyLegacyPort',
        'aws-eu1 RemoveHTTPProxyLegacyPort',
        'gcp-us1 RemoveAPIServerProxyLegacyPort',
        'gcp-us1 RemoveHTTPProxyLegacyPort',
      ]);
      const counted = LARGE.migrated + LARGE.missing + LARGE.false + LARGE.failed + LARGE.ignored;
      expect(rows[1]).toMatchObject({ value: LARGE.migrated, max: counted });
      expect(rows[1]!.text).toContain(`${LARGE.migrated} / ${counted}`);
      expect(rows[1]!.text).toContain(`${Math.floor((100 * LARGE.migrated) / counted)} %`);
      // gcp-us1: done; the hostile name (no constraint), odd-status and odd-error block; odd-state is being created.
      expect(rows[3]).toMatchObject({ value: 1, max: 4 });

      // Each seed's gardenlet release and where it was learned; the seed without one is a banner.
      const releases = await page.$$eval('tr.release-row', (trs) =>
        trs.map((tr) => [tr.getAttribute('data-seed'), tr.getAttribute('data-release-aware'), tr.textContent]),
      );
      expect(releases.map(([seed, aware]) => [seed, aware])).toEqual([
        ['aws-eu1', 'true'],
        ['gcp-us1', 'false'],
      ]);
      expect(releases[0]![2]).toContain(`${LARGE_SEED_RELEASE}`);
      expect(releases[0]![2]).toContain('Seed aws-eu1 status.gardener.version');
      expect(releases[1]![2]).toContain('not known');
      expect(await page.$eval('.banner[data-kind="release-unknown"]', (b) => b.textContent ?? '')).toContain(
        'No gardenlet release known for seed gcp-us1',
      );

      // Blockers grouped by the audit's reasons in its order, each with its remedy, then the skipped;
      // counts complete and only the first shoots of each group listed.
      const groups = await page.$$eval(`section.gate[data-seed="aws-eu1"][data-gate="${GATE}"] details.group`, (ds) =>
        ds.map((d) => ({
          state: d.getAttribute('data-state'),
          reason: d.getAttribute('data-reason'),
          count: Number(d.getAttribute('data-count')),
          listed: d.querySelectorAll('li.shoot').length,
          text: d.textContent,
        })),
      );
      expect(groups.map(({ state, reason, count }) => ({ state, reason, count }))).toEqual([
        { state: 'blocking', reason: 'ignored', count: LARGE.ignored },
        { state: 'blocking', reason: 'last-operation-failed', count: LARGE.failed },
        { state: 'blocking', reason: 'constraint-false', count: LARGE.false },
        { state: 'blocking', reason: 'constraint-missing', count: LARGE.missing },
        { state: 'skipped', reason: 'workerless', count: LARGE.workerless },
        { state: 'skipped', reason: 'being created', count: LARGE.creating },
      ]);
      for (const g of groups) expect(g.listed).toBe(FIRST_PER_GROUP);
      expect(groups[3]!.text).toContain(`and ${LARGE.missing - FIRST_PER_GROUP} more`);
      expect(groups[0]!.text).toContain('What to do: Gardener does not reconcile it: remove the annotation shoot.gardener.cloud/ignore');
      expect(groups[1]!.text).toContain('What to do: fix the error, then reconcile it');
      expect(groups[1]!.text).toContain('Reconcile Error: infrastructure: timed out');
      // Thousands of shoots, yet a page of a few hundred list items.
      expect(await page.$$eval('li', (lis) => lis.length)).toBeLessThan(300);

      // Markup from the cluster is text: shown verbatim, never run.
      const gcp = await page.$eval('section.gate[data-seed="gcp-us1"][data-gate="RemoveHTTPProxyLegacyPort"]', (s) => s.textContent ?? '');
      expect(gcp).toContain(`garden-dev/${HOSTILE_NAME}`);
      expect(gcp).toContain(`UsesUnifiedHTTPProxyPort=${HOSTILE_STATUS}`);
      expect(gcp).toContain(`Reconcile Error: ${HOSTILE_ERROR}`);
      expect(gcp).toContain(`being created (Create ${HOSTILE_STATE})`);
      expect(await page.evaluate(() => document.scripts.length)).toBe(0);
      expect(await page.$$('img')).toHaveLength(0);
      expect(await page.$$('b')).toHaveLength(0);
      expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();

      // The register controller's page is linked, not described; the stylesheet applied under the policy.
      expect(await page.$eval(`a[href="${PEER}"]`, (a) => a.textContent)).toBe('Register controller status');
      expect(await page.$eval('progress', (p) => getComputedStyle(p).width)).toBe('192px');
      expect(problems).toEqual([]);

      if (process.env.UPDATE_SCREENSHOTS === '1') {
        mkdirSync(join(import.meta.dirname, '..', '..', 'docs'), { recursive: true });
        await page.$eval('details.group', (d) => d.setAttribute('open', ''));
        await page.screenshot({ path: join(import.meta.dirname, '..', '..', 'docs', 'status-page.png') });
      }
    } finally {
      await close();
    }
  }, 60_000);

  it('shows the register controller what it knows: registered, pending and failed shoots, the CA bundle, and the rollout', async () => {
    const seed = await startSeed();
    seed.addShoot('shoot--foo--ok');
    seed.api.put(RESOURCES.clusters, clusterObject({ project: 'foo', name: 'ok' }) as never);
    // A stored halt whose reason carries markup: shown as text.
    const halt = {
      shoot: 'shoot--foo--ok',
      managedResource: 'shoot-core-vpn-shoot',
      condition: 'ResourcesHealthy',
      reason: '<b>bold</b><img src=x onerror="window.__xss=1">',
      at: '2026-06-01T08:00:00Z',
    };
    seed.api.put(RESOURCES.configMaps, {
      metadata: { name: 'http-proxy-migrator-rollout', namespace: 'extension-http-proxy-migrator' },
      data: { halt: JSON.stringify(halt) },
    });
    const register = await spawnRegister([
      '--kubeconfig',
      seed.api.writeKubeconfig(dir),
      '--ca-file',
      seed.caFile,
      '--resync-period',
      '200ms',
      '--metrics-port',
      '0',
      '--no-leader-elect',
      '--peer-status-url',
      'http://127.0.0.1:8080/',
      '--log-level',
      'silent',
      '--waves',
      'examples/rollout-waves.yaml',
      '--rollout-interval',
      '200ms',
    ]);
    await until(() => seed.managedResource('shoot--foo--ok') !== undefined, 'registered', 10_000);
    await until(
      async () =>
        ((await (await fetch(`${register.statusUrl}/status`)).json()) as { rollout?: { steppedAt: string | null } }).rollout?.steppedAt !==
        null,
      'a rollout step',
      10_000,
    );
    const { browser, close } = await launchBrowser();
    try {
      const page = await browser.newPage();
      const problems = watch(page);
      await page.goto(`${register.statusUrl}/`, { waitUntil: 'load' });
      const table = await page.$eval('#registration', (t) => t.textContent ?? '');
      expect(table).toMatch(/Registered\s*1/);
      expect(table).toMatch(/Failed\s*0/);
      expect(table).toContain('leader (writes)');
      expect(await page.$eval('body', (b) => b.textContent ?? '')).toContain('CA bundle in force');
      expect(await page.$eval('a[href="http://127.0.0.1:8080/"]', (a) => a.textContent)).toBe('Webhook server status');
      // The rollout: the waves and their states, the shoot in its wave, and the stored halt with its reason as text.
      const waves = await page.$$eval('#waves tr', (rows) =>
        rows.slice(1).map((r) => [...r.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent)),
      );
      expect(waves).toEqual([
        ['operators', 'unified', 'done', '0'],
        ['canaries', 'unified', 'done', '0'],
        ['evaluation-and-development', 'unified', 'halted', '1'],
        ['ten-percent', 'unified', 'pending', '0'],
        ['rest', 'unified', 'pending', '0'],
      ]);
      expect(await page.$eval('#rollout-halt', (t) => t.textContent ?? '')).toContain('<b>bold</b><img src=x onerror="window.__xss=1">');
      expect(await page.$$('#rollout-halt b, #rollout-halt img')).toHaveLength(0);
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(await page.$eval('div.banner[data-kind="rollout-halted"]', (d) => d.textContent ?? '')).toContain('shoot--foo--ok');
      expect(await page.evaluate(() => document.scripts.length)).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});
