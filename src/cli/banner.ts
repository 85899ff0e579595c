// The development server's start-up banner: where it listens, what each webhook does under the
// running settings, something to try, and how to see the other phase.
import { join } from 'node:path';
import type { MigrationWebhook } from '../../webhooks/context.js';
import { PHASES, type MigrationSettings } from '../gardener/settings.js';

export interface BannerFacts {
  url: string;
  metricsUrl: string;
  certDir: string;
  settings: MigrationSettings;
  webhooks: readonly MigrationWebhook[];
}

/** Example reviews under examples/ and the path each is posted to. */
const TRY: readonly { file: string; path: string }[] = [
  { file: 'examples/review.apiserver-proxy.json', path: '/webhooks/apiserver-proxy/shoot--foo--bar' },
  { file: 'examples/review.vpn-shoot.json', path: '/webhooks/vpn-shoot' },
  { file: 'examples/review.gardenlet-config.json', path: '/webhooks/gardenlet-config' },
];

export function banner({ url, metricsUrl, certDir, settings, webhooks }: BannerFacts): string {
  const width = Math.max(...webhooks.map((w) => w.name.length));
  const lines = [`http-proxy-migrator: webhooks on ${url}, probes and metrics on ${metricsUrl}`, `phase ${settings.phase}:`];
  // What a webhook does depends on the settings alone; the services are not open yet.
  for (const w of webhooks) {
    const parameters = (w.pathParameters ?? []).map(({ name }, i) => (i === 0 ? `/<${name}>` : `[/<${name}>]`)).join('');
    lines.push(`  ${w.name.padEnd(width)}  ${url}${w.path}${parameters}`);
    if (w.describe) lines.push(`  ${' '.repeat(width)}  ${w.describe({ settings, services: {} })}`);
  }
  lines.push('try:');
  for (const { file, path } of TRY) {
    lines.push(`  curl --cacert ${join(certDir, 'ca.crt')} -H 'Content-Type: application/json' --data @${file} ${url}${path}`);
  }
  const other = PHASES.find((phase) => phase !== settings.phase)!;
  lines.push(`the ${other} phase: restart with --phase ${other} (npm start -- --phase ${other})`);
  return `${lines.join('\n')}\n`;
}
