// The app's SQLite database (better-sqlite3): one file in DATA_DIR, schema migrations by PRAGMA user_version.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** Each entry moves the schema one version up; never edit a released entry, add a new one. */
const MIGRATIONS: string[] = [
  `CREATE TABLE learners (
     id TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     last_seen INTEGER NOT NULL
   );
   CREATE TABLE lab_progress (
     learner TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
     lab TEXT NOT NULL,
     current_step TEXT,
     started_at INTEGER NOT NULL,
     last_activity INTEGER NOT NULL,
     PRIMARY KEY (learner, lab)
   );
   CREATE TABLE step_progress (
     learner TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
     lab TEXT NOT NULL,
     step TEXT NOT NULL,
     done_at INTEGER,
     with_help INTEGER NOT NULL DEFAULT 0,
     hints_shown INTEGER NOT NULL DEFAULT 0,
     solution_shown INTEGER NOT NULL DEFAULT 0,
     last_passed INTEGER,
     last_message TEXT,
     last_checked_at INTEGER,
     PRIMARY KEY (learner, lab, step)
   );`,
  `CREATE TABLE bench_runs (
     id TEXT PRIMARY KEY,
     learner TEXT NOT NULL,
     lab TEXT NOT NULL,
     sandbox TEXT NOT NULL,
     status TEXT NOT NULL,            -- running | done | cancelled | failed
     config TEXT NOT NULL,            -- JSON BenchConfig
     environment TEXT,                -- JSON: kernel, cpus, proxy, image, pinning, engine
     error TEXT,
     created_at INTEGER NOT NULL,
     finished_at INTEGER
   );
   CREATE INDEX bench_runs_by_learner ON bench_runs (learner, lab, created_at);
   CREATE TABLE bench_samples (
     run_id TEXT NOT NULL REFERENCES bench_runs(id) ON DELETE CASCADE,
     idx INTEGER NOT NULL,
     rep INTEGER NOT NULL,
     mode TEXT NOT NULL,
     size INTEGER NOT NULL,
     iperf TEXT,                      -- JSON IperfResult
     sockperf TEXT,                   -- JSON SockperfResult
     datapath TEXT NOT NULL,          -- JSON Datapath
     error TEXT,
     started_at TEXT NOT NULL,
     duration_ms INTEGER NOT NULL,
     PRIMARY KEY (run_id, idx)
   );`,
  // Hints revealed by index (reason-keyed hints come out of order), the failure's reason code, skipped steps.
  `ALTER TABLE step_progress ADD COLUMN hints_revealed TEXT;  -- JSON array of indices; NULL: the first hints_shown
   ALTER TABLE step_progress ADD COLUMN last_reason TEXT;
   ALTER TABLE step_progress ADD COLUMN skipped_at INTEGER;`,
  // A warm pool sandbox handed to a learner: its labels still say purpose=pool (labels cannot change), this says whose.
  `CREATE TABLE sandbox_claims (
     sandbox_id TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     lab TEXT NOT NULL,
     claimed_at INTEGER NOT NULL
   );`,
  // The name a learner gives for the instructor's view (optional; learners are anonymous otherwise).
  `ALTER TABLE learners ADD COLUMN display_name TEXT;`,
];

export function openDb(dataDir: string, file = 'ebpf-labs.sqlite'): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, file));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Db, migrations: string[] = MIGRATIONS): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
