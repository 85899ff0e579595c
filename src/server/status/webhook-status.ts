// The webhook server's /status document, built from what the process holds: its settings, the shoot
// index, the review counters, the serving certificate and the garden webhook's calls.
import { existsSync, readFileSync } from 'node:fs';
import type { MigrationSettings } from '../../gardener/settings.js';
import type { SeedLookup, ShootLookup } from '../../gardener/services.js';
import type { SeedProgress } from '../../gardener/migration-progress-shape.js';
import type { Metrics } from '../../observability/metrics.js';
import type { GardenCalls } from '../garden-calls.js';
import { bundleStatus, certificateStatus, expiringSoon } from './certificates.js';
import { STATUS_API_VERSION, type Attention, type WebhookStatusDocument } from './documents.js';

/** What the shoot source can say about itself. */
export interface ShootIndexState {
  source: string | null;
  lastSyncAt?: number;
  watching?: boolean;
  /** Where seeds (their gardenlet releases) come from: "garden cluster", the seed file, or undefined. */
  seedSource?: string;
}

export interface WebhookStatusInputs {
  settings: MigrationSettings;
  shoots?: ShootLookup & { readonly size?: number };
  seeds?: SeedLookup & { readonly size?: number };
  /** Per seed and gate progress of the shoots, computed where the index lives (src/gardener). */
  progress?: () => SeedProgress[];
  shootIndex: () => ShootIndexState;
  metrics: Metrics;
  servingNotAfter: () => Date;
  /** PEM file of the CA that signed the serving certificate (ca.crt beside it), when present. */
  caFile?: string;
  gardenCalls: GardenCalls;
  startedAt: number;
  peerUrl?: string;
}

/** Seeds named in a banner; the page and the JSON have them all. */
const NAMED_SEEDS = 5;

export async function webhookStatus(inputs: WebhookStatusInputs, now = Date.now()): Promise<WebhookStatusDocument> {
  const { settings, shoots, metrics } = inputs;
  const index = inputs.shootIndex();
  const synced = shoots?.synced() ?? false;
  const serving = certificateStatus(inputs.servingNotAfter(), now);
  const ca = readCa(inputs.caFile, now);
  const seeds = shoots && synced && inputs.progress ? inputs.progress() : [];
  const fallback = settings.gardenerVersion ?? null;

  const reviews: WebhookStatusDocument['reviews'] = {};
  const of = (webhook: string): WebhookStatusDocument['reviews'][string] =>
    (reviews[webhook] ??= { outcomes: {}, reasons: {}, handlerFailures: 0 });
  for (const { webhook, outcome, count } of metrics.outcomeCounts())
    of(webhook).outcomes[outcome] = (of(webhook).outcomes[outcome] ?? 0) + count;
  // A mutating webhook's answers carry its reason (moved, at-target, …, or the skip reason); skips of the others add theirs.
  for (const { webhook, reason, count } of metrics.mutationCounts())
    of(webhook).reasons[reason] = (of(webhook).reasons[reason] ?? 0) + count;
  for (const { webhook, reason, count } of await metrics.skippedCounts()) of(webhook).reasons[reason] ??= count;
  for (const { webhook, count } of await metrics.handlerFailureCounts()) of(webhook).handlerFailures = count;

  const attention: Attention[] = [];
  for (const [name, cert] of [
    ['serving certificate', serving],
    ['CA certificate', ca],
  ] as const) {
    if (!cert) continue;
    if (cert.daysLeft < 0)
      attention.push({
        kind: 'certificate-expired',
        message: `The ${name} expired on ${cert.notAfter}: API servers refuse to call the webhooks.`,
      });
    else if (expiringSoon(cert))
      attention.push({
        kind: 'certificate-expiring',
        message: `The ${name} expires on ${cert.notAfter} (${cert.daysLeft} days left): renew it.`,
      });
  }
  if (!shoots) {
    attention.push({
      kind: 'no-shoot-source',
      message: 'No shoot source: gardenlet configuration that turns a removal gate on is refused, and no progress can be shown.',
    });
  } else if (!synced) {
    attention.push({
      kind: 'index-not-synced',
      message: 'The shoot index has not completed its first list: gardenlet configuration that turns a gate on is refused until it has.',
    });
  }
  const unknown = seeds.filter((s) => !s.release.releaseAware);
  if (unknown.length > 0) {
    const named = unknown
      .slice(0, NAMED_SEEDS)
      .map((s) => s.seed)
      .join(', ');
    const more = unknown.length > NAMED_SEEDS ? ` and ${unknown.length - NAMED_SEEDS} more` : '';
    attention.push({
      kind: 'release-unknown',
      message: `No gardenlet release known for seed ${named}${more}: gates in their gardenlet configuration are not judged by the release that reads them (unless the object names it). Let the server read Seeds from the garden cluster, or set --gardener-version.`,
    });
  }

  return {
    apiVersion: STATUS_API_VERSION,
    kind: 'WebhookServerStatus',
    generatedAt: new Date(now).toISOString(),
    startedAt: new Date(inputs.startedAt).toISOString(),
    ...(inputs.peerUrl ? { peerUrl: inputs.peerUrl } : {}),
    settings: {
      phase: settings.phase,
      ...(settings.destinationHeaders ? { destinationHeaders: settings.destinationHeaders } : {}),
      istioTlsTermination: settings.istioTlsTermination,
      assumeVpnClientCompatible: settings.assumeVpnClientCompatible,
      gardenerVersion: fallback,
      releaseAware: seeds.length > 0 ? unknown.length === 0 : fallback !== null,
    },
    seedIndex: {
      source: index.seedSource ?? null,
      synced: inputs.seeds?.synced() ?? false,
      size: inputs.seeds?.size ?? 0,
    },
    shootIndex: {
      source: index.source,
      synced,
      size: shoots?.size ?? 0,
      lastSync: index.lastSyncAt === undefined ? null : new Date(index.lastSyncAt).toISOString(),
      watching: index.watching ?? null,
    },
    seeds,
    reviews,
    certificates: { serving, ca },
    gardenWebhook: {
      called: inputs.gardenCalls.count > 0,
      calls: inputs.gardenCalls.count,
      lastCallAt: inputs.gardenCalls.lastAt === undefined ? null : new Date(inputs.gardenCalls.lastAt).toISOString(),
    },
    attention,
  };
}

function readCa(file: string | undefined, now: number): WebhookStatusDocument['certificates']['ca'] {
  if (!file || !existsSync(file)) return null;
  try {
    const certs = bundleStatus(readFileSync(file, 'utf8'), now);
    // The soonest to expire is the one that matters.
    return certs.sort((a, b) => a.daysLeft - b.daysLeft)[0] ?? null;
  } catch {
    return null;
  }
}
