// What the server hands webhooks besides the request: long-lived, shared, read-only lookups.
// Each is optional; a webhook that needs one it was not given answers as its failure policy says.
import type { Phase } from './settings.js';

/** The shoot fields the gardenlet migration check reads. */
export interface ShootSummary {
  namespace: string;
  name: string;
  /** Responsible seed: status.seedName when it differs from spec.seedName, else spec.seedName. */
  seed?: string;
  workerless: boolean;
  /**
   * status.lastOperation (type Create, Reconcile, Migrate, Restore, Delete; state Processing, Succeeded, Error, ...);
   * `description` only when the operation failed, shortened and stripped of control characters.
   */
  lastOperation?: { type: string; state: string; description?: string };
  /** Constraint type -> status ("True", "False", "Unknown"), only for the constraints the removal gates need. */
  constraints: Record<string, string>;
  /** Constraint type -> reason, only for those constraints when not "True" (why they block). */
  constraintReasons?: Record<string, string>;
  /** spec.hibernation.enabled: Gardener skips the vpn-shoot step. */
  hibernated?: boolean;
  /** Annotation shoot.gardener.cloud/ignore=true: Gardener does not reconcile the shoot. */
  ignored?: boolean;
  /** status.gardener.version: the gardenlet release that last acted on the shoot. */
  gardenerVersion?: string;
}

/** Shoots indexed by responsible seed, from a file or a garden-cluster informer. */
export interface ShootLookup {
  /** False until the first complete list: decisions on an empty index would be wrong. */
  synced(): boolean;
  shootsOfSeed(seed: string): readonly ShootSummary[];
  /** One shoot by namespace and name (a ManagedSeed's shoot, in the garden namespace). */
  shoot(namespace: string, name: string): ShootSummary | undefined;
  seeds(): string[];
  /**
   * A value computed from one seed's shoots, kept until those shoots change, so that a decision on a
   * large seed does not rescan it. The value is shared: callers must not modify it.
   */
  derive<T>(seed: string, key: string, compute: (shoots: readonly ShootSummary[]) => T): T;
}

/** Whether the seed's Istio ingress routes what a phase will send (the live seed preflight). */
export interface IngressReadiness {
  /** For `phase`, or the configured --phase when none is given. */
  check(phase?: Phase): { ready: boolean; reason?: string };
}

/** The gardenlet release each seed runs now (Seed status.gardener.version), from the garden cluster or a file. */
export interface SeedLookup {
  synced(): boolean;
  /** The seed's status.gardener.version as written; undefined for an unknown seed or one without it. */
  gardenletVersion(seed: string): string | undefined;
}

export interface Services {
  shoots?: ShootLookup;
  seeds?: SeedLookup;
  /** When set, the apiserver-proxy is only mutated while this says ready. */
  ingress?: IngressReadiness;
}
