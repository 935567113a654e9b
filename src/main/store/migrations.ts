// The database schema as a list of migrations; PRAGMA user_version counts how many have run.
// Append new migrations at the end; never edit one that has shipped.

export const MIGRATIONS: string[] = [
  // 1: data sets, runs, metrics, checkpoints, sample grids, saved latent vectors.
  `
  CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    size INTEGER NOT NULL,
    channels INTEGER NOT NULL,
    count INTEGER NOT NULL,
    files TEXT NOT NULL,
    skipped TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('created', 'running', 'paused', 'stopped', 'finished', 'interrupted', 'failed')),
    error TEXT,
    config TEXT NOT NULL,
    seed INTEGER NOT NULL,
    source TEXT NOT NULL,
    dataset_id INTEGER REFERENCES datasets(id),
    channels INTEGER,
    backend TEXT,
    iteration INTEGER NOT NULL DEFAULT 0,
    epoch INTEGER NOT NULL DEFAULT 0,
    total_iterations INTEGER,
    train_seconds REAL NOT NULL DEFAULT 0,
    owner_pid INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    iteration INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    loss_d REAL,
    loss_g REAL,
    d_x REAL,
    d_g_z1 REAL,
    d_g_z2 REAL,
    seconds REAL NOT NULL,
    wall_time INTEGER NOT NULL,
    -- The same nine figures as float64s (METRIC_FIELDS order): charts read a whole run at once by
    -- concatenating these in SQLite, ten times faster than converting every column value.
    packed BLOB NOT NULL,
    PRIMARY KEY (run_id, iteration)
  ) WITHOUT ROWID;

  CREATE TABLE checkpoints (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    iteration INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    pinned INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    state BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (run_id, iteration)
  );

  CREATE TABLE sample_grids (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    iteration INTEGER NOT NULL,
    count INTEGER NOT NULL,
    png BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (run_id, iteration)
  ) WITHOUT ROWID;

  CREATE TABLE latent_vectors (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    vector BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (run_id, name)
  );
  `,
  // 2: named figures computed every so often rather than every iteration (the SWD quality metric).
  `
  CREATE TABLE scalars (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    iteration INTEGER NOT NULL,
    value REAL,
    PRIMARY KEY (run_id, name, iteration)
  ) WITHOUT ROWID;
  `,
  // 3: the backend as people read it ('webgpu (NVIDIA GeForce RTX 4070, Vulkan)'), and what the session said
  // about its choice (a fallback and its cost, a checkpoint from another backend), as a JSON list.
  `
  ALTER TABLE runs ADD COLUMN backend_detail TEXT;
  ALTER TABLE runs ADD COLUMN backend_notes TEXT;
  `,
  // 4: latent directions a user named while exploring (SeFa or GANSpace, at a checkpoint), kept with the run.
  `
  CREATE TABLE latent_directions (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    iteration INTEGER,
    vector BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (run_id, name)
  );
  `,
  // 5: training health alerts (mode collapse, the discriminator winning, ...), each over a stretch of
  // iterations (end_iteration is NULL while the problem goes on), and the seconds the checks took.
  `
  ALTER TABLE runs ADD COLUMN health_seconds REAL NOT NULL DEFAULT 0;
  CREATE TABLE health_alerts (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    start_iteration INTEGER NOT NULL,
    end_iteration INTEGER,
    detail TEXT NOT NULL,
    PRIMARY KEY (run_id, kind, start_iteration)
  ) WITHOUT ROWID;
  `,
  // 6: the classes a conditional run trains on (names and image counts, JSON; null for other runs), and a
  // data set's classes in its manifest.
  `
  ALTER TABLE runs ADD COLUMN classes TEXT;
  ALTER TABLE datasets ADD COLUMN classes TEXT;
  `
]
