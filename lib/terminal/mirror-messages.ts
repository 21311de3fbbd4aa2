// What the terminal sessions (on the server's event loop) and the screen mirrors (in their worker thread) say to
// each other. Types only: both sides import it, and neither pulls the other's code in.

export interface ScreenSnapshot {
  /** What a terminal of `cols` x `rows` draws to show this screen and scrollback, starting with a full reset (RIS). */
  screen: string;
  cols: number;
  rows: number;
}

/** To the worker. Messages for one mirror are handled in the order they were sent, as the output was printed. */
export type ToWorker =
  | { op: 'open'; id: number; cols: number; rows: number }
  | { op: 'write'; id: number; text: string }
  | { op: 'resize'; id: number; cols: number; rows: number }
  | { op: 'snapshot'; id: number; req: number }
  | { op: 'close'; id: number };

/** From the worker. */
export type FromWorker =
  /** The mirror has applied `chars` more characters of output (the session's flow control counts them). */
  | { op: 'parsed'; id: number; chars: number }
  | ({ op: 'snapshot'; id: number; req: number } & ScreenSnapshot)
  | { op: 'snapshot-failed'; id: number; req: number; message: string };
