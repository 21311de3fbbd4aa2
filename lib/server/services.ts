// The wiring, in one place: createServices builds the object graph once (server.ts calls it); route handlers and
// pages reach it through getServices(). It lives on globalThis because Next bundles route code separately from
// server.ts: a module-level singleton would exist twice. Domain modules never import this file: they get what they
// need as constructor or function arguments.
import type Docker from 'dockerode';
import { BenchService } from '../bench/service';
import { BenchStore } from '../bench/store';
import { SandboxAdmission } from '../capacity/admission';
import { IdleReaper } from '../capacity/idle-reaper';
import { CheckScheduler } from '../checks/scheduler';
import { ClassFeed } from '../class/feed';
import { Instructor } from '../class/instructor';
import type { Config } from '../config';
import { CaptureService } from '../datapath/capture-service';
import { DatapathHub } from '../datapath/hub';
import { openDb, type Db } from '../db';
import { AppError } from '../errors';
import { LabEventChannel } from '../lab-events/channel';
import { LabCatalog } from '../labs/catalog';
import { runLabSetup } from '../labs/setup';
import type { Logger } from '../log';
import { ProgressStore } from '../progress/store';
import { connectDocker } from '../sandbox/engine';
import { EngineState, type EngineReady } from '../sandbox/engine-state';
import { labScriptRunner } from '../sandbox/lab-exec';
import { SandboxManager } from '../sandbox/manager';
import { PoolClaims } from '../sandbox/pool-claims';
import { UsageMeter } from '../sandbox/usage-meter';
import { WarmPool } from '../sandbox/warm-pool';
import { TerminalManager } from '../terminal/manager';
import { dockerShellHost } from '../terminal/pty';
import { lockEngineInstance } from './instance-lock';
import { loadOrCreateSecret } from './learner-cookie';
import { AppMetrics } from './metrics';
import { originPolicy, type OriginPolicy } from './origin';
import { RateLimiter } from './rate-limiter';

export interface Services {
  config: Config;
  log: Logger;
  secret: string;
  /** The hosts and origins this server answers for; server.ts sets it again once it knows the port it listens on. */
  originPolicy: OriginPolicy;
  docker: Docker;
  engine: EngineState;
  labs: LabCatalog;
  db: Db;
  progress: ProgressStore;
  /** Every lab page's live events: checks, progress, benchmarks and datapath frames are published here. */
  events: LabEventChannel;
  checks: CheckScheduler;
  benchStore: BenchStore;
  bench: BenchService;
  terminals: TerminalManager;
  /** Live datapath counters: one sampler per watched sandbox. */
  datapath: DatapathHub;
  captures: CaptureService;
  /** Who may start a sandbox (per learner, per address, the waiting line when full). */
  admission: SandboxAdmission;
  /** Stops sandboxes nobody uses, after a warning on their page. */
  idle: IdleReaper;
  /** Prometheus metrics (/metrics). */
  metrics: AppMetrics;
  /** The instructor view's live feed of the class. */
  feed: ClassFeed;
  /** What the instructor sees and does (/admin). */
  instructor: Instructor;
  /** Instructor login attempts per client address (a wrong token counts). */
  adminLogins: RateLimiter;
  /** The sandbox manager once the engine answers; throws DockerUnavailableError before. */
  sandboxes(): Promise<SandboxManager>;
  /** Stops timers and samplers, lets go of shells (they live on in their sandboxes), the engine lock and the DB. */
  close(): void;
}

const KEY = Symbol.for('ebpf-labs.services');
type Holder = { [KEY]?: Services };

export function setServices(services: Services): void {
  (globalThis as Holder)[KEY] = services;
}

export function getServices(): Services {
  const s = (globalThis as Holder)[KEY];
  if (!s) {
    throw new AppError('not_started', 'The app was started without its server.', {
      hint: 'Start it with "npm start" or "npm run dev" (they run server.ts), not with "next start".',
    });
  }
  return s;
}

export function createServices(config: Config, log: Logger): Services {
  const docker = connectDocker(config.docker);
  const labs = new LabCatalog(config.labsDir, config.env === 'development');
  const db = openDb(config.dataDir);
  const progress = new ProgressStore(db);
  const events = new LabEventChannel();
  const feed = new ClassFeed();
  events.tap((learner, lab, event) => feed.fromLabEvent(learner, lab, event));
  let manager: SandboxManager | undefined;
  let pool: WarmPool | undefined;
  const claims = new PoolClaims(db);
  const terminals = new TerminalManager(dockerShellHost(config.terminal, log.child('terminal')), log.child('terminal'));
  const driver = async () => (await engine.get()).driver;
  const sandboxes = async () => {
    await engine.get();
    return manager!;
  };
  const runScript = labScriptRunner(driver);

  let releaseEngineLock: (() => void) | undefined;
  const datapath = new DatapathHub({ driver, events, log: log.child('datapath') });
  const captures = new CaptureService();
  const admission = new SandboxAdmission({
    max: config.maxSandboxes,
    perLearner: config.limits.sandboxesPerLearner,
    perAddress: config.limits.sandboxesPerAddress,
  });
  const engine = new EngineState(docker, config, log.child('engine'), async (ready: EngineReady) => {
    // Before adopting or removing anything: another server of this instance on the engine would do the same.
    if (ready.proxy) releaseEngineLock = await lockEngineInstance(docker, config.instance, config.sandbox.image, log.child('lock'));
    else log.warn(`no engine lock for instance ${config.instance}: the sandbox image ${config.sandbox.image} is not built`);
    const setUpLab = async (sandboxId: string, slug: string) => {
      const lab = await labs.get(slug);
      if (lab) await runLabSetup(ready.driver, sandboxId, lab);
    };
    const warm: WarmPool = new WarmPool({
      driver: ready.driver,
      targets: config.warmPool,
      prepare: (sandbox, lab) => setUpLab(sandbox.id, lab),
      // Learners first: the pool fills only spare room, and not while anyone waits in line.
      hasRoom: (): boolean => (manager?.list().length ?? 0) + warm.size < config.maxSandboxes && admission.waiting() === 0,
      imageId: async () => (await docker.getImage(config.sandbox.image).inspect().catch(() => undefined))?.Id,
      claims,
      shells: {
        open: (sandboxId, slug) =>
          void labs
            .get(slug)
            .then((lab) => {
              const tabs = lab?.meta.terminals ?? [];
              for (const tab of tabs) terminals.open(sandboxId, tab, { tabs: tabs.map((t) => t.name) });
            })
            .catch((err) => log.warn(`opening the terminals of pool sandbox ${sandboxId} failed`, err)),
        close: (sandboxId) => terminals.closeSandbox(sandboxId),
      },
      log: log.child('pool'),
    });
    manager = new SandboxManager({
      driver: ready.driver,
      maxSandboxes: config.maxSandboxes,
      log: log.child('sandboxes'),
      onCreated: (sandbox, spec) => setUpLab(sandbox.id, spec.lab),
      warm,
      claimOf: (id) => claims.ownerOf(id),
    });
    manager.on('destroyed', (s) => {
      terminals.closeSandbox(s.id);
      datapath.closeSandbox(s.id);
      captures.forget(s.id);
      claims.forget(s.id);
      admission.released(s.owner, s.lab);
    });
    manager.on('started', (s, { source, seconds }) => {
      metrics.sandboxStart.observe({ source }, seconds);
      feed.add({ kind: 'sandbox', learner: s.owner, lab: s.lab, text: `sandbox ready in ${seconds.toFixed(1)} s${source === 'pool' ? ' (warm pool)' : ''}` });
    });
    manager.on('destroyed', (s) => feed.add({ kind: 'sandbox', learner: s.owner, lab: s.lab, text: 'sandbox removed' }));
    // After a restart, learners get their sandboxes back: keep those of labs touched recently, remove the rest.
    const active = new Set(progress.activeLabs(config.sandbox.keepHours * 3600_000).map((a) => `${a.learner}/${a.lab}`));
    await manager.reconcile((s) => !config.sandbox.removeOrphans || active.has(`${s.owner}/${s.lab}`));
    claims.keepOnly(manager.list().map((s) => s.id));
    admission.adopt(manager.list());
    pool = warm;
    warm.start();
  });

  const metrics = new AppMetrics({
    sandboxes: () => ({
      running: manager?.list().filter((s) => s.purpose === 'learner').length ?? 0,
      pool: pool?.size ?? 0,
      waiting: admission.waiting(),
    }),
    terminalSessions: () => terminals.size,
  });
  const checks = new CheckScheduler({
    store: progress,
    events,
    runScript,
    sandboxOf: async (learner, lab) => (await sandboxes()).find(learner, lab.slug),
    log: log.child('checks'),
    onOutcome: (lab, o) => {
      metrics.checks.inc({ lab: lab.slug, step: o.step, result: o.passed ? 'passed' : 'failed' });
      metrics.checkDuration.observe({ lab: lab.slug }, o.durationMs / 1000);
    },
  });
  const benchStore = new BenchStore(db);
  const bench = new BenchService({
    store: benchStore,
    events,
    checks,
    runScript,
    platform: async () => {
      const ready = await engine.get();
      const image = await docker.getImage(config.sandbox.image).inspect().catch(() => undefined);
      return {
        image: `${config.sandbox.image} (${image?.Id.slice(7, 19) ?? 'unknown'})`,
        engine: `Docker ${ready.info.version}, cgroup ${ready.info.cgroupVersion}`,
      };
    },
    log: log.child('bench'),
    onFinished: (lab, status) => metrics.benchRuns.inc({ lab, status }),
  });
  const idle = new IdleReaper({
    idleMs: config.sandbox.idleMinutes * 60_000,
    warnMs: config.sandbox.idleWarningMinutes * 60_000,
    events,
    running: () => manager?.list().filter((s) => s.purpose === 'learner') ?? [],
    busy: (owner, lab) => bench.activeFor(owner, lab) !== undefined,
    stop: async (owner, lab) => manager?.stop(owner, lab),
    log: log.child('idle'),
  });
  const usage = new UsageMeter(async (id) => (await driver()).usage(id));
  const instructor = new Instructor({
    labs: () => labs.list(),
    progress,
    sandboxes,
    usage: (ids) => usage.sample(ids),
    pool: () => pool,
    admission,
    events,
    feed,
    maxSandboxes: config.maxSandboxes,
    log: log.child('instructor'),
  });
  terminals.on('echo', (ms) => metrics.echo.observe(ms / 1000));
  // A command finished in one of a learner's shells: check their step. The marker names the sandbox; its owner and
  // lab are looked up here, once, and the check gets the objects.
  terminals.on('marker', ({ sandboxId, marker }) => {
    if (marker.name !== 'done') return;
    const sandbox = manager?.byId(sandboxId);
    if (!sandbox) return;
    void labs
      .get(sandbox.lab)
      .then((lab) => lab && checks.check({ learner: sandbox.owner, lab, sandbox }, 'command'))
      .catch((err) => log.warn('check after command failed', err));
  });

  return {
    config,
    log,
    secret: loadOrCreateSecret(config.sessionSecret, config.dataDir),
    originPolicy: originPolicy(config, config.port),
    docker,
    engine,
    labs,
    db,
    progress,
    events,
    checks,
    benchStore,
    bench,
    terminals,
    datapath,
    captures,
    admission,
    idle,
    metrics,
    feed,
    instructor,
    adminLogins: new RateLimiter(10, 60_000),
    sandboxes,
    close() {
      pool?.close();
      idle.close();
      checks.close();
      events.close();
      terminals.closeAll();
      datapath.closeAll();
      releaseEngineLock?.();
      db.close();
    },
  };
}
