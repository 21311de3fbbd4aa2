// The screen mirrors' thread (started by mirror-host.ts): one ScreenMirror per terminal session, fed with what the
// session's shell prints. Parsing and serializing here keeps their cost (tens of ms a MiB, a few hundred ms for a
// full scrollback) off the server's event loop, where every learner's keystrokes are relayed.
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './mirror-messages';
import { ScreenMirror } from './screen-mirror';

const port = parentPort;
if (!port) throw new Error('mirror-worker.ts runs as a worker thread (mirror-host.ts starts it)');

const mirrors = new Map<number, ScreenMirror>();
const post = (msg: FromWorker) => port.postMessage(msg);

port.on('message', (msg: ToWorker) => {
  if (msg.op === 'open') {
    mirrors.set(msg.id, new ScreenMirror(msg.cols, msg.rows));
    return;
  }
  const mirror = mirrors.get(msg.id);
  if (!mirror) return; // closed meanwhile
  switch (msg.op) {
    case 'write': {
      const chars = msg.text.length;
      mirror.write(msg.text, () => post({ op: 'parsed', id: msg.id, chars }));
      break;
    }
    case 'resize':
      mirror.resize(msg.cols, msg.rows);
      break;
    case 'snapshot':
      mirror.snapshot().then(
        (snap) => post({ op: 'snapshot', id: msg.id, req: msg.req, ...snap }),
        (err: Error) => post({ op: 'snapshot-failed', id: msg.id, req: msg.req, message: err.message }),
      );
      break;
    case 'close':
      mirrors.delete(msg.id);
      mirror.dispose();
      break;
  }
});
