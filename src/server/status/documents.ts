// The /status documents of the two processes, versioned: fields are only added within a version, and
// maps keyed by reason are open (new reasons appear as new keys, never as new fields).
import type { SeedProgress } from '../../gardener/migration-progress-shape.js';

export const STATUS_API_VERSION = 'status.http-proxy-migrator.extensions.gardener.cloud/v1alpha1';

/** Something that needs an operator's action, shown as a banner on the page. */
export interface Attention {
  /** Stable key: certificate-expiring, certificate-expired, index-not-synced, no-shoot-source, release-unknown, registration-failures, ca-bundle-unreadable, rollout-halted, rollout-state-unreadable. */
  kind: string;
  message: string;
}

export interface CertificateStatus {
  /** ISO 8601. */
  notAfter: string;
  /** Whole days left (negative once expired). */
  daysLeft: number;
  subject?: string;
}

export interface WebhookStatusDocument {
  apiVersion: typeof STATUS_API_VERSION;
  kind: 'WebhookServerStatus';
  generatedAt: string;
  startedAt: string;
  /** The register controller's page, when configured; this process does not know its state. */
  peerUrl?: string;
  settings: {
    phase: string;
    destinationHeaders?: string[];
    istioTlsTermination: boolean;
    assumeVpnClientCompatible: boolean;
    /** --gardener-version: the release assumed where neither the object nor its seed names one; null when not given. */
    gardenerVersion: string | null;
    /** Every seed listed below has a known gardenlet release (false while any has none). */
    releaseAware: boolean;
  };
  /** Where each seed's gardenlet release (Seed status.gardener.version) is read from. */
  seedIndex: {
    /** "garden cluster", the seed snapshot file, or null when seeds are not read. */
    source: string | null;
    synced: boolean;
    size: number;
  };
  shootIndex: {
    /** file path, "garden cluster", or null when the process has no shoots. */
    source: string | null;
    synced: boolean;
    size: number;
    /** ISO 8601 of the last complete list, or of loading the file. */
    lastSync: string | null;
    /** A watch is open (garden cluster only). */
    watching: boolean | null;
  };
  /** Per seed with shoots: the release its gardenlet configuration is judged by, and per removal gate the counts and the first shoots of each group. */
  seeds: SeedProgress[];
  /** Since start, per webhook: verdicts by outcome, and reasons (skips and mutation reasons) by count. */
  reviews: Record<string, { outcomes: Record<string, number>; reasons: Record<string, number>; handlerFailures: number }>;
  certificates: { serving: CertificateStatus; ca: CertificateStatus | null };
  gardenWebhook: { called: boolean; calls: number; lastCallAt: string | null };
  attention: Attention[];
}

export interface RegistrationStatusDocument {
  apiVersion: typeof STATUS_API_VERSION;
  kind: 'RegisterControllerStatus';
  generatedAt: string;
  startedAt: string;
  peerUrl?: string;
  /** This replica holds the lease and writes; standbys report only what they know (nothing registered). */
  leader: boolean;
  ready: boolean;
  shoots: {
    registered: number;
    /** Shoot namespaces wanted but neither registered nor failed yet. */
    pending: number;
    failed: number;
    firstFailed: { namespace: string; error: string; since: string }[];
    firstPending: string[];
  };
  caBundle: { file: string; certificates: CertificateStatus[]; lastReadFailed: boolean };
  /** Present when the process runs a rollout (`register --waves`); a standby reports no waves. */
  rollout?: RolloutStatus;
  attention: Attention[];
}

/** The rollout in waves as the leader's last step saw it. */
export interface RolloutStatus {
  /** ISO 8601 of the last step; null before the first, and on a standby. */
  steppedAt: string | null;
  halt: { shoot: string; managedResource: string; condition: string; reason: string; at: string } | null;
  waves: {
    name: string;
    target: string;
    /** pending, open, soaking, done or halted. */
    state: string;
    shoots: number;
    /** Entered, not yet moved. */
    moving: number;
    moved: number;
    /** ISO 8601, while soaking: when the wave has soaked if its shoots stay healthy. */
    soakEndsAt: string | null;
    /** The first shoots, each with where it stands: waiting, moving, moved, unreadable. */
    firstShoots: { shoot: string; standing: string }[];
  }[];
  setApart: { held: number; unassigned: number; notCounted: number };
  /** Shoots whose stored state does not read: left alone until fixed (the first ones; the count is complete). */
  unreadable: number;
  firstUnreadable: { shoot: string; problem: string }[];
}
