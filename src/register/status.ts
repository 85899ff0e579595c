// What the register controller's process knows, for its /status page and the gauges alerts read:
// shoots registered, pending and failing, and the CA bundle in force. Nothing about the webhook server.
import { readFileSync } from 'node:fs';
import { Gauge, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../observability/metrics.js';
import { CERTIFICATE_NOT_AFTER_GAUGE, bundleStatus, expiringSoon } from '../server/status/certificates.js';
import { STATUS_API_VERSION, type Attention, type RegistrationStatusDocument, type RolloutStatus } from '../server/status/documents.js';
import { standing, type RolloutSnapshot } from '../rollout/rollout-snapshot.js';
import type { RunningRegistration } from './registration.js';

/** Listed on the page and in the JSON; the counts are always complete. */
const FIRST = 20;

export interface RegistrationStatusInputs {
  registration: RunningRegistration;
  caFile: string;
  startedAt: number;
  peerUrl?: string;
  /** The process runs a rollout (`--waves`). */
  rollout?: boolean;
}

export function registrationStatus(inputs: RegistrationStatusInputs, now = Date.now()): RegistrationStatusDocument {
  const { registration } = inputs;
  const snapshot = registration.snapshot();
  const leader = registration.isLeader();
  // The bundle in force is the controller's; a standby reads the file to say what it would use.
  const bundle = snapshot?.caBundle || readOrEmpty(inputs.caFile);
  const certificates = bundleStatus(bundle, now);
  const attention: Attention[] = [];
  const failed = snapshot?.failed ?? [];
  if (failed.length > 0) {
    attention.push({
      kind: 'registration-failures',
      message: `${failed.length} shoot namespaces could not be registered; the first errors are listed below.`,
    });
  }
  if (snapshot?.caBundleReadFailed)
    attention.push({
      kind: 'ca-bundle-unreadable',
      message: `${inputs.caFile} could not be re-read; the last good CA bundle stays in force.`,
    });
  for (const cert of certificates) {
    if (cert.daysLeft < 0)
      attention.push({
        kind: 'certificate-expired',
        message: `A CA certificate of the bundle (${cert.subject ?? ''}) expired on ${cert.notAfter}.`,
      });
    else if (expiringSoon(cert))
      attention.push({
        kind: 'certificate-expiring',
        message: `A CA certificate of the bundle (${cert.subject ?? ''}) expires on ${cert.notAfter} (${cert.daysLeft} days left): rotate it.`,
      });
  }
  const rollout = inputs.rollout ? rolloutStatus(registration.rolloutSnapshot()) : undefined;
  if (rollout?.halt) {
    const { halt } = rollout;
    attention.push({
      kind: 'rollout-halted',
      message: `The rollout is halted since ${halt.at || 'an unreadable halt was stored'}: ${halt.shoot || halt.managedResource} ${halt.condition} (${halt.reason}). No shoot enters a wave until an operator resumes.`,
    });
  }
  if (rollout && rollout.unreadable > 0) {
    attention.push({
      kind: 'rollout-state-unreadable',
      message: `${rollout.unreadable} shoots have rollout state that does not read; they are left as they are.`,
    });
  }
  return {
    apiVersion: STATUS_API_VERSION,
    kind: 'RegisterControllerStatus',
    generatedAt: new Date(now).toISOString(),
    startedAt: new Date(inputs.startedAt).toISOString(),
    ...(inputs.peerUrl ? { peerUrl: inputs.peerUrl } : {}),
    leader,
    ready: registration.ready(),
    shoots: {
      registered: snapshot?.registered ?? 0,
      pending: snapshot?.pending.length ?? 0,
      failed: failed.length,
      firstFailed: failed.slice(0, FIRST).map((f) => ({ namespace: f.namespace, error: f.error, since: new Date(f.since).toISOString() })),
      firstPending: snapshot?.pending.slice(0, FIRST) ?? [],
    },
    caBundle: { file: inputs.caFile, certificates, lastReadFailed: snapshot?.caBundleReadFailed ?? false },
    ...(rollout ? { rollout } : {}),
    attention,
  };
}

function rolloutStatus(snapshot: RolloutSnapshot | undefined): RolloutStatus {
  if (!snapshot)
    return {
      steppedAt: null,
      halt: null,
      waves: [],
      setApart: { held: 0, unassigned: 0, notCounted: 0 },
      unreadable: 0,
      firstUnreadable: [],
    };
  const { plan } = snapshot;
  return {
    steppedAt: snapshot.steppedAt,
    halt: plan.halt ? { ...plan.halt } : null,
    waves: plan.waves.map((wave) => {
      const standings = wave.shoots.map((shoot) => standing(snapshot, shoot));
      return {
        name: wave.name,
        target: wave.target,
        state: wave.state,
        shoots: wave.shoots.length,
        moving: standings.filter((s) => s === 'moving').length,
        moved: standings.filter((s) => s === 'moved').length,
        soakEndsAt: wave.soakEndsAt ?? null,
        firstShoots: wave.shoots.slice(0, FIRST).map((shoot, i) => ({ shoot, standing: standings[i]! })),
      };
    }),
    setApart: { held: plan.held.length, unassigned: plan.unassigned.length, notCounted: plan.notCounted.length },
    unreadable: snapshot.unreadable.length,
    firstUnreadable: snapshot.unreadable.slice(0, FIRST),
  };
}

/** Gauges the alerts and the dashboard read; collected from the controller at scrape time. */
export function registerRegistrationStatusMetrics(registry: Registry, inputs: RegistrationStatusInputs): void {
  const registers = [registry];
  new Gauge({
    name: `${METRIC_PREFIX}shoot_webhooks_failing`,
    help: 'Shoot namespaces whose last webhook ManagedResource sync failed (0 on a standby replica).',
    registers,
    collect() {
      this.set(inputs.registration.snapshot()?.failed.length ?? 0);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}shoot_webhooks_pending`,
    help: 'Opted-in shoot namespaces neither registered nor failing yet (0 on a standby replica).',
    registers,
    collect() {
      this.set(inputs.registration.snapshot()?.pending.length ?? 0);
    },
  });
  new Gauge({
    ...CERTIFICATE_NOT_AFTER_GAUGE,
    registers,
    collect() {
      this.reset();
      const bundle = inputs.registration.snapshot()?.caBundle || readOrEmpty(inputs.caFile);
      const soonest = bundleStatus(bundle, Date.now())
        .map((c) => Date.parse(c.notAfter))
        .sort((a, b) => a - b)[0];
      if (soonest !== undefined) this.set({ certificate: 'ca-bundle' }, soonest / 1000);
    },
  });
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
