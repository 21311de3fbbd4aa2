// Who may start a sandbox: at most `perLearner` per learner and `perAddress` per client address (cookies are free,
// addresses are not), and `max` on the whole server. When the server is full, learners wait in one line, first come
// first served: a freed slot goes to the head of the line, and the page shows its place and retries by itself.
import { AppError } from '../errors';

export interface AdmissionLimits {
  max: number;
  perLearner: number;
  perAddress: number;
}

/** A learner that stopped asking for this long (its page closed) leaves the line. */
export const LINE_TIMEOUT_MS = 30_000;
/** How often a waiting page asks again. */
export const LINE_RETRY_S = 5;

interface Holding {
  owner: string;
  lab: string;
  /** Unknown for sandboxes adopted after a restart. */
  address?: string;
}

const keyOf = (owner: string, lab: string) => `${owner}\0${lab}`;

export class SandboxAdmission {
  private readonly holdings = new Map<string, Holding>();
  private readonly line: { key: string; seen: number }[] = [];

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Sandboxes that already run (adopted after a restart) hold their slots. */
  adopt(sandboxes: { owner: string; lab: string }[]): void {
    for (const s of sandboxes) this.holdings.set(keyOf(s.owner, s.lab), { owner: s.owner, lab: s.lab });
  }

  /**
   * Admits a new sandbox of `owner` for `lab` (it then holds a slot until released), or throws an AppError that says
   * why and what to do: 429 over a per-client limit, 503 with the place in line when the server is full.
   * `nextFreeInS`: when a slot is expected to free up (the soonest idle stop), for the message.
   */
  admit(owner: string, lab: string, address: string, nextFreeInS?: number): void {
    const key = keyOf(owner, lab);
    if (this.holdings.has(key)) return;
    const mine = [...this.holdings.values()].filter((h) => h.owner === owner);
    if (mine.length >= this.limits.perLearner) {
      throw new AppError('learner_limit', `You already run ${mine.length} sandboxes (the most one learner may run at once).`, {
        status: 429,
        hint: `Stop one you are not using first (${mine.map((h) => h.lab).join(', ')}): on the catalog page, or with Stop sandbox on its lab page.`,
      });
    }
    const fromAddress = [...this.holdings.values()].filter((h) => h.address === address).length;
    if (fromAddress >= this.limits.perAddress) {
      throw new AppError('address_limit', `Your network address already runs ${fromAddress} sandboxes, the most one address may run.`, {
        status: 429,
        hint: 'Stop sandboxes you are not using. In a class behind one address, the instructor raises MAX_SANDBOXES_PER_ADDRESS.',
      });
    }
    const free = this.limits.max - this.holdings.size;
    const position = this.queue(key);
    if (position < free) {
      this.line.splice(position, 1);
      this.holdings.set(key, { owner, lab, address });
      return;
    }
    const when = nextFreeInS === undefined ? '' : ` The next one is expected to free up in about ${Math.max(1, Math.round(nextFreeInS / 60))} minute(s).`;
    throw new AppError('server_full', `All ${this.limits.max} sandboxes of this server are in use.`, {
      status: 503,
      hint: `You are number ${position + 1} in line: this page starts your sandbox as soon as one frees up (sandboxes unused for a while are stopped).${when}`,
      data: { position: position + 1, retryS: LINE_RETRY_S },
      retryAfterS: LINE_RETRY_S,
    });
  }

  /** The learner keeps (or takes back) a slot without waiting: a Reset replaces the sandbox it already holds. */
  hold(owner: string, lab: string, address?: string): void {
    this.holdings.set(keyOf(owner, lab), { owner, lab, address });
  }

  /** The sandbox is gone (stopped, reset, reaped, or it failed to start): its slot is free. */
  released(owner: string, lab: string): void {
    this.holdings.delete(keyOf(owner, lab));
  }

  /** Places in line, from 1, of the learners still asking (for an instructor's view and tests). */
  waiting(): number {
    this.dropStale();
    return this.line.length;
  }

  /** This request's index in the line, joining it at the end if new. Stale entries (pages gone) are dropped. */
  private queue(key: string): number {
    this.dropStale();
    const t = this.now();
    let i = this.line.findIndex((e) => e.key === key);
    if (i < 0) i = this.line.push({ key, seen: t }) - 1;
    else this.line[i]!.seen = t;
    return i;
  }

  private dropStale(): void {
    const t = this.now();
    for (let i = this.line.length - 1; i >= 0; i--) if (t - this.line[i]!.seen > LINE_TIMEOUT_MS) this.line.splice(i, 1);
  }
}
