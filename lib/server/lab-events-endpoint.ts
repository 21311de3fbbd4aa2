// The lab page's event channel (LAB_EVENTS_PATH?lab=<slug>&step=<id>): subscribes the page to the lab event channel
// (checks, progress, benchmarks, and datapath frames while the page watches), and learns which step the page shows.
// Same rules as the terminal: own origin only, the learner's signed cookie.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { PageView } from '../checks/scheduler';
import { parseLabClientMessage, type LabEvent } from '../lab-events/events';
import type { Lab } from '../labs/schema';
import type { Logger } from '../log';
import { CLOSE } from '../terminal/protocol';
import { socketLearner } from './learner-cookie';
import type { Services } from './services';
import { createSocketServer } from './ws-server';

/** The page sends a few small JSON messages (view, datapath, ping): anything larger is not one of them. */
const MAX_MESSAGE_BYTES = 4096;

/** One open lab page: what it watches, and how to stop each. */
class LabPage {
  readonly view: PageView;
  private unsubscribe?: () => void;
  private unwatchChecks?: () => void;
  private unwatchDatapath?: () => void;
  private wantDatapath = false;

  constructor(
    private readonly services: Services,
    private readonly ws: WebSocket,
    private readonly learner: string,
    private readonly lab: Lab,
    viewStep: string | undefined,
    private readonly log: Logger,
  ) {
    this.view = { viewStep };
  }

  open(): void {
    const { events, checks, progress } = this.services;
    this.unsubscribe = events.subscribe(this.learner, this.lab.slug, (event) => this.forward(event));
    this.unwatchChecks = checks.watch(this.learner, this.lab, this.view);
    this.send({ type: 'progress', progress: progress.forLab(this.learner, this.lab) });
    const broadcast = this.services.instructor.recentBroadcast();
    if (broadcast) this.send({ type: 'broadcast', ...broadcast });
    if (this.services.instructor.isWatched(this.learner, this.lab.slug)) this.send({ type: 'watched', watching: true });
    // The page opened: do the steps marked done still hold? (The learner may have undone one since.)
    void this.checkNow('open').catch((err) => this.log.warn('check on open failed', err));
  }

  private async checkNow(trigger: 'open' | 'view'): Promise<void> {
    const sandbox = await (await this.services.sandboxes()).find(this.learner, this.lab.slug);
    if (sandbox) await this.services.checks.check({ learner: this.learner, lab: this.lab, sandbox }, trigger);
  }

  close(): void {
    this.unsubscribe?.();
    this.unwatchChecks?.();
    this.unwatchDatapath?.();
  }

  private send(event: LabEvent): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(event));
  }

  private forward(event: LabEvent): void {
    if (event.type === 'datapath' || event.type === 'datapath-error') {
      if (!this.wantDatapath) return;
      // The hub gave up on the sampler (or the sandbox went away): this page watches nothing until it asks again.
      if (event.type === 'datapath-error') this.unwatchDatapath = undefined;
    }
    this.send(event);
  }

  /** The page shows another step: remember it and check it. */
  async viewStep(step: string): Promise<void> {
    if (!this.lab.steps.some((s) => s.id === step)) return;
    this.view.viewStep = step;
    this.services.progress.setCurrentStep(this.learner, this.lab.slug, step);
    await this.checkNow('view');
  }

  /** The Datapath pane was shown or hidden. */
  async watchDatapath(on: boolean): Promise<void> {
    this.wantDatapath = on;
    if (!on) {
      this.unwatchDatapath?.();
      this.unwatchDatapath = undefined;
      return;
    }
    if (this.unwatchDatapath) return;
    const datapath = this.lab.meta.datapath;
    if (!datapath) return this.send({ type: 'datapath-error', message: 'This lab has no datapath view.' });
    const sandbox = await (await this.services.sandboxes()).find(this.learner, this.lab.slug);
    if (!sandbox) return this.send({ type: 'datapath-error', message: 'Your sandbox is not running: start it first.' });
    if (this.unwatchDatapath || !this.wantDatapath || this.ws.readyState !== this.ws.OPEN) return;
    this.unwatchDatapath = this.services.datapath.watch({ learner: this.learner, lab: this.lab.slug, sandboxId: sandbox.id }, datapath.ports);
  }

  onMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    const msg = isBinary ? undefined : parseLabClientMessage(data.toString());
    if (!msg) return this.ws.close(CLOSE.PROTOCOL, 'Unknown or malformed message.');
    if (msg.type === 'datapath') {
      void this.watchDatapath(msg.watch).catch((err) => {
        this.log.warn('datapath watch failed', err);
        this.send({ type: 'datapath-error', message: (err as Error).message });
      });
    } else if (msg.type === 'visibility') {
      this.view.hidden = !msg.visible;
    } else if (msg.type === 'active') {
      this.services.idle.touch(this.learner, this.lab.slug);
    } else if (msg.type === 'view') {
      void this.viewStep(msg.step).catch((err) => this.log.warn('check on view failed', err));
    }
  }
}

export function createLabEventsEndpoint(services: Services, log: Logger) {
  const server = createSocketServer({
    name: 'lab events',
    maxPayload: MAX_MESSAGE_BYTES,
    origins: () => services.originPolicy,
    log,
    count: services.metrics.socketCounter('lab'),
  });

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    server.accept(req, socket, head, (ws) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const who = socketLearner(services.secret, req.headers.cookie);
      if ('reason' in who) return ws.close(CLOSE.NOT_AUTHENTICATED, who.reason);
      const { learner } = who;
      // Messages may arrive before the lab is read: keep them for the page.
      let page: LabPage | undefined;
      const early: [Buffer | ArrayBuffer | Buffer[], boolean][] = [];
      let closed = false;
      ws.on('message', (data, isBinary) => (page ? page.onMessage(data, isBinary) : early.push([data, isBinary])));
      ws.on('close', () => {
        closed = true;
        page?.close();
      });
      void services.labs
        .get(url.searchParams.get('lab') ?? '')
        .then((lab) => {
          if (!lab) return ws.close(CLOSE.NOT_FOUND, 'There is no such lab.');
          if (closed || ws.readyState !== ws.OPEN) return;
          page = new LabPage(services, ws, learner, lab, url.searchParams.get('step') ?? undefined, log);
          page.open();
          for (const [data, isBinary] of early.splice(0)) page.onMessage(data, isBinary);
        })
        .catch((err) => {
          log.error('lab events connection failed', err);
          if (ws.readyState === ws.OPEN) ws.close(CLOSE.SERVER_ERROR, 'The server could not open the lab channel.');
        });
    });
  }

  return { upgrade, close: () => server.close(CLOSE.RESTARTING, 'The server is restarting.') };
}
