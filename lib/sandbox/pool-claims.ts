// Whose a handed-out pool sandbox is. A container's labels cannot change after it is created, so a pool sandbox keeps
// purpose=pool and owner=pool for life; after a restart this table tells the manager which learner it belongs to.
import type { Db } from '../db';

export interface PoolClaim {
  owner: string;
  lab: string;
}

export class PoolClaims {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  record(sandboxId: string, claim: PoolClaim): void {
    this.db
      .prepare('INSERT OR REPLACE INTO sandbox_claims (sandbox_id, owner, lab, claimed_at) VALUES (?, ?, ?, ?)')
      .run(sandboxId, claim.owner, claim.lab, this.now());
  }

  ownerOf(sandboxId: string): PoolClaim | undefined {
    return this.db.prepare('SELECT owner, lab FROM sandbox_claims WHERE sandbox_id = ?').get(sandboxId) as PoolClaim | undefined;
  }

  forget(sandboxId: string): void {
    this.db.prepare('DELETE FROM sandbox_claims WHERE sandbox_id = ?').run(sandboxId);
  }

  /** Drops claims of sandboxes that no longer exist (removed while the server was down). */
  keepOnly(sandboxIds: string[]): void {
    const live = new Set(sandboxIds);
    const rows = this.db.prepare('SELECT sandbox_id FROM sandbox_claims').all() as { sandbox_id: string }[];
    for (const r of rows) if (!live.has(r.sandbox_id)) this.forget(r.sandbox_id);
  }
}
