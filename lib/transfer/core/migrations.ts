/**
 * Schema of the core's SQLite database, one entry per version. A migration
 * runs in one transaction with the bump of `user_version`; never edit a shipped
 * entry, append a new one.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE queues (
    name TEXT PRIMARY KEY,
    priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 1000)
  );
  INSERT INTO queues (name, priority) VALUES ('high', 999), ('default', 500), ('low', 1);

  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) > 0),
    status TEXT NOT NULL CHECK (status IN ('init','waiting','running','paused','failed','aborted','done')),
    queue TEXT NOT NULL REFERENCES queues(name),
    priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 1000),
    source TEXT NOT NULL,
    destination TEXT NOT NULL,
    mirror_paths INTEGER NOT NULL,
    metadata TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    finished_at INTEGER
  );
  -- One unfinished job per name: concurrent ensureJob calls cannot create two.
  CREATE UNIQUE INDEX jobs_open_name ON jobs (name) WHERE status NOT IN ('done', 'aborted');

  CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL REFERENCES jobs(id),
    source TEXT NOT NULL,
    destination TEXT NOT NULL,
    priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 1000),
    status TEXT NOT NULL CHECK (status IN ('queued','executing','onhold','excluded','failed','done')),
    bytes_total INTEGER NOT NULL DEFAULT 0,
    bytes_done INTEGER NOT NULL DEFAULT 0,
    files INTEGER NOT NULL DEFAULT 0,
    files_done INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    last_error TEXT,
    metadata TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    finished_at INTEGER,
    UNIQUE (job_id, source, destination)
  );
  CREATE INDEX tasks_by_status ON tasks (status, next_attempt_at);
  CREATE TRIGGER tasks_never_deleted BEFORE DELETE ON tasks
    BEGIN SELECT RAISE(ABORT, 'tasks are never deleted; exclude them instead'); END;

  CREATE TABLE chunks (
    file_key TEXT NOT NULL,
    idx INTEGER NOT NULL,
    task_id TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (file_key, idx)
  ) WITHOUT ROWID;
  CREATE INDEX chunks_by_task ON chunks (task_id);

  CREATE TABLE agents (
    id TEXT PRIMARY KEY,
    vendor TEXT NOT NULL,
    fingerprint TEXT,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER
  );

  CREATE TABLE shares (
    vendor TEXT PRIMARY KEY,
    root TEXT NOT NULL,
    volume TEXT
  );
  CREATE TABLE grants (
    vendor TEXT NOT NULL,
    path TEXT NOT NULL,
    can_read INTEGER NOT NULL,
    can_write INTEGER NOT NULL,
    PRIMARY KEY (vendor, path)
  );

  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    job_id TEXT,
    task_id TEXT,
    data TEXT NOT NULL
  );
  CREATE INDEX events_by_job ON events (job_id, id);
  CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
  CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
  `,
  `
  -- Enrolment codes (only their SHA-256) for vendor agents; each one is taken once.
  CREATE TABLE enrolment_codes (
    code_hash TEXT PRIMARY KEY,
    vendor TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX agents_by_vendor ON agents (vendor);
  `,
  `
  -- Which process runs the scheduler on this database (one at a time).
  CREATE TABLE scheduler_lease (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    owner TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
  );
  `,
  `
  -- Lets the scheduler walk queued tasks in priority order instead of sorting them all.
  CREATE INDEX tasks_queued_order ON tasks (status, priority DESC, created_at, job_id);
  `,
  `
  -- What HQ last put in place at each vendor (a later delivery skips files already there),
  -- and per task how many files were already there or had been changed at the vendor.
  CREATE TABLE delivered (
    vendor TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    hash TEXT NOT NULL,
    chunk INTEGER NOT NULL,
    PRIMARY KEY (vendor, path)
  ) WITHOUT ROWID;
  ALTER TABLE tasks ADD COLUMN files_present INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE tasks ADD COLUMN bytes_present INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE tasks ADD COLUMN files_vendor_changed INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE tasks ADD COLUMN vendor_changed TEXT NOT NULL DEFAULT '[]';
  `,
  `
  -- Several named agents (machines) per vendor; a revoked one stays listed with its time.
  DROP INDEX agents_by_vendor;
  ALTER TABLE agents ADD COLUMN name TEXT NOT NULL DEFAULT 'agent';
  ALTER TABLE agents ADD COLUMN revoked_at INTEGER;
  CREATE INDEX agents_by_vendor ON agents (vendor, name);
  `,
];
