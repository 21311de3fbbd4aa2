// The lab page's event channel (/ws/lab?lab=<slug>&step=<id>): pushes check results and progress as they happen,
// and learns which step the page shows. Same rules as the terminal: own origin only, the learner's signed cookie.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log';
import type { Services } from '../services';
import { learnerFromCookieHeader } from '../session';
import { CLOSE } from '../terminal/protocol';
import { createSocketServer } from '../ws-server';
import { parseLabClientMessage, type LabEvent } from '../lab-events/events';
import type { CheckScheduler, Subscriber } from './scheduler';

export const LAB_EVENTS_PATH = '/ws/lab';
const MAX_MESSAGE_BYTES = 4096;

export function createLabEventsEndpoint(services: Services, scheduler: CheckScheduler, log: Logger) {
  const server = createSocketServer({ name: 'lab events', maxPayload: MAX_MESSAGE_BYTES, publicOrigin: services.config.publicOrigin, log });

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    server.accept(req, socket, head, (ws) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const learner = learnerFromCookieHeader(services.secret, req.headers.cookie);
      if (!learner) return ws.close(CLOSE.NOT_AUTHENTICATED, 'Your session cookie is missing: reload the page.');
      const slug = url.searchParams.get('lab') ?? '';
      const sub: Subscriber = {
        viewStep: url.searchParams.get('step') ?? undefined,
        send: (event: LabEvent) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
        },
      };
      let unsubscribe: (() => void) | undefined;
      let unwatch: (() => void) | undefined;
      let wantDatapath = false;
      ws.on('close', () => {
        unsubscribe?.();
        unwatch?.();
      });
      const watchDatapath = async () => {
        const lab = await services.labs.get(slug);
        const datapath = lab?.meta.datapath;
        if (!datapath) return sub.send({ type: 'datapath-error', message: 'This lab has no datapath view.' });
        const sandbox = await (await services.sandboxes()).find(learner, slug);
        if (!sandbox) return sub.send({ type: 'datapath-error', message: 'Your sandbox is not running: start it first.' });
        if (unwatch || !wantDatapath || ws.readyState !== ws.OPEN) return;
        unwatch = services.datapath.subscribe(sandbox.id, datapath.ports, {
          frame: (frame) => sub.send({ type: 'datapath', frame }),
          error: (message) => {
            unwatch = undefined;
            sub.send({ type: 'datapath-error', message });
          },
        });
      };
      ws.on('message', (data, isBinary) => {
        const msg = isBinary ? undefined : parseLabClientMessage(data.toString());
        if (!msg) return ws.close(CLOSE.PROTOCOL, 'Unknown or malformed message.');
        if (msg.type === 'datapath') {
          wantDatapath = msg.watch;
          if (!msg.watch) {
            unwatch?.();
            unwatch = undefined;
          } else if (!unwatch) {
            void watchDatapath().catch((err) => {
              log.warn('datapath watch failed', err);
              sub.send({ type: 'datapath-error', message: (err as Error).message });
            });
          }
        }
        if (msg.type === 'view') {
          sub.viewStep = msg.step;
          void services.labs.get(slug).then((lab) => {
            if (!lab?.steps.some((s) => s.id === msg.step)) return;
            services.progress.setCurrentStep(learner, slug, msg.step);
            void scheduler.check(learner, slug, 'view').catch((err) => log.warn('check on view failed', err));
          });
        }
      });
      void services.labs.get(slug).then((lab) => {
        if (!lab) return ws.close(CLOSE.NOT_FOUND, 'There is no such lab.');
        if (ws.readyState !== ws.OPEN) return;
        unsubscribe = scheduler.subscribe(learner, slug, sub);
        scheduler.publishProgress(learner, lab);
      });
    });
  }

  return { upgrade, close: () => server.close(CLOSE.RESTARTING, 'The server is restarting.') };
}
