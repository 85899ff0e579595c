// The rollout loop, run by the leader of the register process: each step reads the seed's caches
// (Clusters for membership, shoot namespaces for holds, our ManagedResources for each shoot's stored
// progress, the shoot-core ManagedResources for health, the rollout ConfigMap for a halt), asks the mover
// where each entered shoot stands, lets the pure gate decide, and writes what changed. State lives in the
// seed only, so a new leader steps on from where the last one stopped: never entering a shoot twice,
// never skipping a soak, keeping a halt until an operator resumes it.
import type { ClusterAccess } from '../gardener/cluster-access.js';
import { SlimInformer, type WatchTuning } from '../gardener/slim-informer.js';
import type { Logger } from '../observability/logger.js';
import { assign } from '../rollout/assign.js';
import { isMemberError, withNamespaceHold, type ShootMember } from '../rollout/cluster-member.js';
import { advance, resume, type Observation } from '../rollout/gate.js';
import { gardenStableSince, withGardenHealth } from '../rollout/garden-health.js';
import { shootHealth, stableSince, WATCHED_MANAGED_RESOURCES } from '../rollout/health.js';
import type { RolloutMetrics } from '../rollout/metrics.js';
import { APISERVER_PROXY_MANAGED_RESOURCE } from '../rollout/move-step.js';
import { computePlan } from '../rollout/plan.js';
import { iso, type Clock, type Halt, type RolloutState, type ShootProgress } from '../rollout/rollout-state.js';
import type { RolloutSnapshot } from '../rollout/rollout-snapshot.js';
import {
  decodeHalt,
  decodeProgress,
  encodeProgress,
  HALT_KEY,
  PROGRESS_ANNOTATION,
  resumes,
  ROLLOUT_CONFIGMAP,
} from '../rollout/stored-state.js';
import type { WavesConfig } from '../rollout/waves-config.js';
import { DEFAULT_STEP_INTERVAL_MS } from './defaults.js';
import { MANAGED_RESOURCE_NAME } from './desired.js';
import { haltEvent } from './halt-event.js';
import type { ReconcileSettings } from './reconciler.js';
import { slimCluster, slimGardenShoot, slimHealthManagedResource, slimRolloutConfigMap, type SlimCluster } from './rollout-objects.js';
import type { ShootMoving } from './rollout-mover.js';
import { RolloutWriter } from './rollout-writes.js';
import type { StoredObject as KubeObject } from '../admission/types.js';
import { GROUPS, SeedClient, pathOf } from './seed-client.js';

/** Events arrive in bursts (every status update of a shoot-core ManagedResource): one step after a burst. */
const DEFAULT_EVENT_DELAY_MS = 1_000;
/** Mover steps and writes in flight at once: each is a few requests to one shoot or the seed. */
const PARALLEL = 8;

/** What the loop reads of the shoot webhook registration: its caches, the CA bundle, and a requeue. */
export interface ShootWebhookCaches {
  readonly namespaces: SlimInformer<KubeObject>;
  readonly managedResources: SlimInformer<KubeObject>;
  currentCaBundle(): string;
  enqueue(namespace: string): void;
}

export interface RolloutControllerOptions {
  cluster: ClusterAccess;
  config: WavesConfig;
  mover: ShootMoving;
  settings: ReconcileSettings;
  /** The extension's namespace: the rollout ConfigMap lives there. */
  namespace: string;
  metrics: RolloutMetrics;
  logger: Logger;
  clock?: Clock;
  stepIntervalMs?: number;
  /** How long after an event the step runs (events come in bursts). */
  eventDelayMs?: number;
  /** Checked before every write: false once this replica no longer leads. */
  isLeader?: () => boolean;
  /** Names this replica in Events (reportingInstance). */
  identity?: string;
  backoff?: { baseMs: number; maxMs: number };
  watch?: Partial<WatchTuning>;
  /** The garden cluster: its Shoots' APIServerAvailable and SystemComponentsHealthy are added to the health. */
  garden?: ClusterAccess;
}

/** A write was refused because the controller stopped (lost the lease) while the step ran. */
class StoppedError extends Error {
  override name = 'StoppedError';
}

export class RolloutController {
  readonly clusters: SlimInformer<SlimCluster>;
  /** The shoot-core ManagedResources the health gate reads, one informer per name. */
  private readonly health: SlimInformer<KubeObject>[];
  readonly configMaps: SlimInformer<KubeObject>;
  /** The garden's Shoots by technical ID, when a garden cluster is given. */
  private readonly gardenShoots?: SlimInformer<KubeObject>;
  /** Completed steps, for tests and the status page. */
  steps = 0;
  private readonly client: SeedClient;
  private readonly writer: RolloutWriter;
  private readonly log: Logger;
  private readonly clock: Clock;
  private shootWebhooks?: ShootWebhookCaches;
  private running = false;
  private inFlight?: Promise<void>;
  private again = false;
  private interval?: NodeJS.Timeout;
  private delayed?: NodeJS.Timeout;
  private last?: RolloutSnapshot;
  /** Problems already logged, so that a shoot left alone is reported once, not every step. */
  private reported = new Set<string>();
  private gardenSynced = false;

  constructor(private readonly options: RolloutControllerOptions) {
    this.log = options.logger.child({ controller: 'rollout' });
    this.clock = options.clock ?? { now: Date.now };
    this.client = new SeedClient(options.cluster);
    this.writer = new RolloutWriter(this.client, options.settings, options.namespace);
    const common = { client: this.client.kube, logger: this.log, backoff: options.backoff, watch: options.watch };
    this.clusters = new SlimInformer({
      ...common,
      path: pathOf(GROUPS.clusters),
      slim: slimCluster,
      onChange: (_verb, cluster) => {
        // The hold on the Shoot arrives with the Cluster: the namespace is rendered with it.
        this.shootWebhooks?.enqueue(cluster.metadata.name);
        this.changed();
      },
    });
    this.health = WATCHED_MANAGED_RESOURCES.map(
      (name) =>
        new SlimInformer({
          ...common,
          path: pathOf(GROUPS.managedResources),
          fieldSelector: `metadata.name=${name}`,
          slim: slimHealthManagedResource,
          onChange: () => this.changed(),
        }),
    );
    this.configMaps = new SlimInformer({
      ...common,
      path: pathOf(GROUPS.configMaps, options.namespace),
      fieldSelector: `metadata.name=${ROLLOUT_CONFIGMAP}`,
      slim: slimRolloutConfigMap,
      onChange: () => this.changed(),
    });
    if (options.garden) {
      this.gardenShoots = new SlimInformer({
        ...common,
        client: new SeedClient(options.garden).kube,
        path: pathOf(GROUPS.gardenShoots),
        slim: slimGardenShoot,
        onChange: () => this.changed(),
      });
      void this.gardenShoots.synced.then(() => {
        this.gardenSynced = true;
        this.changed();
      });
    }
  }

  private informers(): { start(): void; stop(): Promise<void>; readonly synced: Promise<void> }[] {
    return [this.clusters, ...this.health, this.configMaps, ...(this.gardenShoots ? [this.gardenShoots] : [])];
  }

  /** Lists and watches; resolves once every cache is synced. Run before the registration starts, so holds on Shoots are known to it. */
  async sync(): Promise<void> {
    const informers = this.informers();
    for (const informer of informers) informer.start();
    // Not the garden's: an unreachable garden must not hold up the registration; the steps wait for it instead.
    await Promise.all(informers.filter((i) => i !== this.gardenShoots).map((i) => i.synced));
  }

  /** Starts stepping over the registration's caches (already synced). */
  start(shootWebhooks: ShootWebhookCaches): void {
    this.shootWebhooks = shootWebhooks;
    this.running = true;
    this.interval = setInterval(() => this.kick(), this.options.stepIntervalMs ?? DEFAULT_STEP_INTERVAL_MS);
    this.kick();
    this.log.info({ waves: this.options.config.waves.map((w) => w.name) }, 'rollout started');
  }

  /** No write starts after this is called; resolves once the step in flight has ended and the watches are closed. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.interval);
    clearTimeout(this.delayed);
    await this.inFlight;
    this.options.mover.close?.();
    await Promise.all(this.informers().map((i) => i.stop()));
  }

  /** Whether the hold on the Shoot (as its Cluster carries it) sets this shoot apart. */
  heldOnShoot(namespace: string): boolean {
    const member = this.clusters.get(namespace)?.member;
    return member !== undefined && !isMemberError(member) && member.heldBy === 'shoot';
  }

  /** What the last step computed; undefined before the first step. */
  snapshot(): RolloutSnapshot | undefined {
    return this.last;
  }

  /** A relevant object changed: one step soon, however many events come. */
  changed(): void {
    if (!this.running || this.delayed) return;
    this.delayed = setTimeout(() => {
      this.delayed = undefined;
      this.kick();
    }, this.options.eventDelayMs ?? DEFAULT_EVENT_DELAY_MS);
  }

  /** Single flight: a step asked for while one runs runs once right after it. */
  private kick(): void {
    if (!this.running) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = (async () => {
      do {
        this.again = false;
        try {
          await this.step();
          this.steps++;
        } catch (err) {
          if (err instanceof StoppedError) break;
          this.log.error({ err: (err as Error).message }, 'rollout step failed; the next step decides again');
        }
      } while (this.again && this.running);
      this.inFlight = undefined;
    })();
  }

  private async step(): Promise<void> {
    if (this.gardenShoots && !this.gardenSynced) {
      this.report(new Map(), undefined, "the garden cluster's Shoots are not listed yet; no step until they are");
      return;
    }
    const shootWebhooks = this.shootWebhooks!;
    const { config } = this.options;
    const unreadable = new Map<string, string>();
    const clusters = new Map<string, SlimCluster>();
    const members: ShootMember[] = [];
    for (const cluster of this.clusters.list()) {
      const id = cluster.metadata.name;
      const ns = shootWebhooks.namespaces.get(id);
      // No shoot namespace (gone or going): nothing there to move.
      if (!ns || ns.metadata.deletionTimestamp) continue;
      if (isMemberError(cluster.member)) {
        unreadable.set(id, `Cluster: ${cluster.member.error}`);
        continue;
      }
      let member = withNamespaceHold(cluster.member, ns.metadata.annotations);
      const ours = this.ours(id);
      // Without our ManagedResource (or with one going away) there is no webhook configuration to carry a target.
      if (!member.heldBy && !member.notCounted && (!ours || ours.metadata.deletionTimestamp))
        member = { ...member, notCounted: 'not-registered' };
      members.push(member);
      clusters.set(id, cluster);
    }
    const assignment = assign(members, config);

    // Stored state, read strictly: what does not decode is reported and that shoot left alone.
    const shoots: Record<string, ShootProgress> = {};
    for (const member of members) {
      const text = this.ours(member.technicalId)?.metadata.annotations?.[PROGRESS_ANNOTATION];
      if (text === undefined) continue;
      const progress = decodeProgress(text);
      if ('error' in progress) unreadable.set(member.technicalId, `annotation ${PROGRESS_ANNOTATION}: ${progress.error}`);
      else shoots[member.technicalId] = progress;
    }
    const configMap = this.configMaps.get(ROLLOUT_CONFIGMAP, this.options.namespace);
    let state: RolloutState = { shoots };
    let haltProblem: string | undefined;
    const haltText = (configMap?.data as Record<string, string> | undefined)?.[HALT_KEY];
    if (haltText !== undefined) {
      const halt = decodeHalt(haltText);
      if ('error' in halt) haltProblem = halt.error;
      else state = { ...state, halt };
    }
    this.report(unreadable, haltProblem);
    if (state.halt && configMap && resumes(configMap.metadata.annotations, state.halt)) {
      this.configMaps.wrote(await this.write(() => this.writer.clearHalt(configMap)));
      this.log.info({ halt: state.halt }, 'rollout resumed by the operator');
      state = resume(state, this.clock);
    }

    const observations = await this.observe(
      assignment.waves.flatMap((w) => w.shoots),
      state,
      clusters,
      unreadable,
    );
    // An unreadable halt is still a halt: no shoot enters until it is fixed or removed.
    const gateState: RolloutState = haltProblem ? { ...state, halt: unreadableHalt(haltProblem, this.options.namespace) } : state;
    const result = advance({
      assignment,
      state: gateState,
      observations,
      soakMs: config.soakMs,
      moveTimeoutMs: config.moveTimeoutMs,
      clock: this.clock,
    });

    if (result.halted) await this.halt(result.halted, configMap);
    const entered = new Set(result.entered.map((e) => e.technicalId));
    const caBundle = shootWebhooks.currentCaBundle();
    await parallel(result.entered, async ({ technicalId }) => {
      const current = this.ours(technicalId);
      if (!current) return;
      const progress = result.state.shoots[technicalId]!;
      await this.attempt(technicalId, 'entry', async () => {
        shootWebhooks.managedResources.wrote(await this.write(() => this.writer.enter(current, progress, caBundle)));
        this.log.info({ shoot: technicalId, wave: progress.wave, target: progress.target }, 'shoot entered its wave');
      });
    });
    const changedProgress = Object.entries(result.state.shoots).filter(
      ([id, progress]) => !entered.has(id) && shoots[id] !== undefined && encodeProgress(progress) !== encodeProgress(shoots[id]),
    );
    await parallel(changedProgress, async ([id, progress]) => {
      const current = this.ours(id);
      if (current)
        await this.attempt(
          id,
          'progress',
          async () => void shootWebhooks.managedResources.wrote(await this.write(() => this.writer.progress(current, progress))),
        );
    });

    const now = this.clock.now();
    const plan = computePlan(
      assignment,
      { ...result.state, ...(gateState.halt ? { halt: gateState.halt } : {}) },
      config.soakMs,
      this.clock,
    );
    this.options.metrics.observePlan(plan, now);
    this.last = {
      steppedAt: iso(now),
      steps: this.steps + 1,
      plan,
      progress: result.state.shoots,
      unreadable: [...unreadable].map(([shoot, problem]) => ({ shoot, problem })).sort((a, b) => (a.shoot < b.shoot ? -1 : 1)),
    };
  }

  /** Health from the seed's shoot-core ManagedResources; `moved` from the mover, for entered shoots not yet moved. */
  private async observe(
    waveMembers: readonly ShootMember[],
    state: RolloutState,
    clusters: ReadonlyMap<string, SlimCluster>,
    unreadable: ReadonlyMap<string, string>,
  ): Promise<Map<string, Observation>> {
    const observations = new Map<string, Observation>();
    const moving: [string, ShootProgress, Observation][] = [];
    for (const { technicalId } of waveMembers) {
      if (unreadable.has(technicalId) || !this.ours(technicalId)) continue;
      const managedResources = new Map(
        this.health.map((informer, i) => [WATCHED_MANAGED_RESOURCES[i]!, informer.get(WATCHED_MANAGED_RESOURCES[i]!, technicalId)]),
      );
      const gardenShoot = this.gardenShoots?.get(technicalId);
      const since = latest(stableSince(managedResources), gardenStableSince(gardenShoot));
      const progress = state.shoots[technicalId];
      const health = withGardenHealth(shootHealth(managedResources), gardenShoot);
      const observation: Observation = {
        moved: Boolean(progress?.movedAt),
        health,
        ...(since !== undefined ? { stableSince: since } : {}),
      };
      observations.set(technicalId, observation);
      if (progress && !progress.movedAt) moving.push([technicalId, progress, observation]);
    }
    this.options.mover.retain?.(new Set(moving.map(([technicalId]) => technicalId)));
    await parallel(moving, async ([technicalId, progress, observation]) => {
      if (!this.running) throw new StoppedError();
      try {
        observation.moved = (await this.options.mover.step(technicalId, progress, clusters.get(technicalId)!)).moved;
      } catch (err) {
        // The move timeout decides whether a shoot that cannot be moved halts the rollout.
        this.log.warn({ shoot: technicalId, err: (err as Error).message }, 'move step failed; retrying at the next step');
      }
    });
    return observations;
  }

  /** The halt first, then what tells people: one log line, the metric, an Event on the ManagedResource it names. */
  private async halt(halt: Halt, configMap: KubeObject | undefined): Promise<void> {
    this.configMaps.wrote(await this.write(() => this.writer.halt(configMap, halt)));
    this.options.metrics.countHalt(halt);
    this.log.warn(
      { shoot: halt.shoot, managedResource: halt.managedResource, condition: halt.condition, reason: halt.reason },
      'rollout halted',
    );
    const named = halt.managedResource || APISERVER_PROXY_MANAGED_RESOURCE;
    const involved = this.health.flatMap((informer) => informer.get(named, halt.shoot) ?? [])[0];
    try {
      await this.write(() => this.writer.event(haltEvent(halt, involved, this.clock.now(), this.options.identity ?? 'register')));
    } catch (err) {
      if (err instanceof StoppedError) throw err;
      this.log.warn(
        { shoot: halt.shoot, err: (err as Error).message },
        'could not record the halt as an Event; the ConfigMap and the metric have it',
      );
    }
  }

  /** One shoot's write: its failure (a conflict, an API error) is logged and retried by the next step; stopping ends the step. */
  private async attempt(shoot: string, what: string, call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (err) {
      if (err instanceof StoppedError) throw err;
      const status = (err as { status?: number }).status;
      this.log[status === 409 ? 'info' : 'error'](
        { shoot, write: what, err: (err as Error).message },
        'rollout write failed; the next step decides again',
      );
    }
  }

  /** Every write goes through here: none once stopped or no longer leading. */
  private async write<T>(call: () => Promise<T>): Promise<T> {
    if (!this.running || this.options.isLeader?.() === false) throw new StoppedError('no longer leading; write not made');
    return call();
  }

  private ours(technicalId: string): KubeObject | undefined {
    return this.shootWebhooks!.managedResources.get(MANAGED_RESOURCE_NAME, technicalId);
  }

  /** Each unreadable state is logged once when it appears (the status page lists all of them). */
  private report(unreadable: ReadonlyMap<string, string>, haltProblem: string | undefined, waiting?: string): void {
    const now = new Set<string>();
    if (waiting !== undefined) {
      now.add(`\0waiting\0${waiting}`);
      if (!this.reported.has(`\0waiting\0${waiting}`)) this.log.warn({}, `rollout waiting: ${waiting}`);
    }
    for (const [shoot, problem] of unreadable) {
      const key = `${shoot}\0${problem}`;
      now.add(key);
      if (!this.reported.has(key)) this.log.error({ shoot, problem }, 'rollout state unreadable; leaving this shoot as it is');
    }
    if (haltProblem !== undefined) {
      const key = `\0halt\0${haltProblem}`;
      now.add(key);
      if (!this.reported.has(key)) {
        this.log.error(
          { configMap: `${this.options.namespace}/${ROLLOUT_CONFIGMAP}`, problem: haltProblem },
          'stored halt unreadable; no shoot enters until it is fixed or removed',
        );
      }
    }
    this.reported = now;
  }
}

function latest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

/** A halt the ConfigMap holds but that does not decode: it stops entries like any halt, and names the problem. */
function unreadableHalt(problem: string, namespace: string): Halt {
  return {
    shoot: '',
    managedResource: `${namespace}/${ROLLOUT_CONFIGMAP}`,
    condition: 'HaltUnreadable',
    reason: `data.${HALT_KEY}: ${problem}`,
    at: '',
  };
}

/** Runs `run` for every item, a few at a time; a StoppedError ends it, any other failure is the item's own (logged by `run`). */
async function parallel<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let stopped: unknown;
  const worker = async (): Promise<void> => {
    while (next < items.length && stopped === undefined) {
      try {
        await run(items[next++]!);
      } catch (err) {
        stopped = err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
  if (stopped !== undefined) throw stopped;
}
