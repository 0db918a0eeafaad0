/**
 * PostgreSQL schema migrations (cluster mode), forward only. They are applied at start
 * under an advisory lock, so several processes starting together apply each one once.
 * The schema mirrors the SQLite one (server/store/migrations.ts) table for table; times
 * are milliseconds since the epoch (BIGINT), documents' updates BYTEA.
 */
import type pg from 'pg';

export const pgMigrations: readonly string[] = [
  // 1: everything the SQLite schema holds after its migrations 1–6. Ids and the display
  // name sort key are COLLATE "C" (byte order, as in SQLite and JavaScript): `user_a < user_b`
  // is decided by the code, and history pages order by (created, id).
  `
  CREATE TABLE users (
    id TEXT COLLATE "C" PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    display_name_lower TEXT COLLATE "C" NOT NULL,
    password_hash TEXT NOT NULL,
    created BIGINT NOT NULL,
    last_seen BIGINT
  );
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created BIGINT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions(user_id);
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    user_a TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    user_b TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    opened_by TEXT NOT NULL,
    created BIGINT NOT NULL,
    activity BIGINT NOT NULL,
    accepted BOOLEAN NOT NULL DEFAULT FALSE,
    epoch INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_a, user_b),
    CHECK (user_a < user_b)
  );
  CREATE INDEX conversations_b ON conversations(user_b);
  CREATE TABLE doc_updates (
    seq BIGSERIAL PRIMARY KEY,
    doc TEXT NOT NULL,
    data BYTEA NOT NULL
  );
  CREATE INDEX doc_updates_doc ON doc_updates(doc, seq);
  CREATE TABLE doc_clients (
    doc TEXT NOT NULL,
    client_id BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (doc, client_id)
  );
  -- seq: arrival order at the server (SQLite's rowid), for read markers and unread counts.
  CREATE TABLE messages (
    seq BIGSERIAL,
    conversation_id TEXT NOT NULL,
    id TEXT COLLATE "C" NOT NULL,
    sender TEXT NOT NULL,
    text TEXT NOT NULL,
    created BIGINT NOT NULL,
    edited BIGINT,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (conversation_id, id)
  );
  CREATE INDEX messages_page ON messages(conversation_id, created, id);
  CREATE INDEX messages_seq ON messages(conversation_id, seq);
  CREATE TABLE read_markers (
    conversation_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    up_to TEXT NOT NULL,
    up_to_seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
  );
  CREATE TABLE contacts (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    contact_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created BIGINT NOT NULL,
    PRIMARY KEY (user_id, contact_id)
  );
  CREATE TABLE contact_requests (
    id TEXT PRIMARY KEY,
    from_user TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    to_user TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created BIGINT NOT NULL,
    UNIQUE (from_user, to_user)
  );
  CREATE INDEX contact_requests_to ON contact_requests(to_user);
  CREATE TABLE blocks (
    blocker TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blocked TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created BIGINT NOT NULL,
    PRIMARY KEY (blocker, blocked)
  );
  CREATE TABLE conversation_hidden (
    conversation_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
  );
  CREATE TABLE doc_received (
    doc TEXT NOT NULL,
    user_id TEXT NOT NULL,
    sv BYTEA NOT NULL,
    PRIMARY KEY (doc, user_id)
  );
  CREATE TABLE unread_counts (
    conversation_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
  );
  CREATE TABLE user_storage (
    user_id TEXT PRIMARY KEY,
    bytes BIGINT NOT NULL
  );
  `,
  // 2: Web Push — device subscriptions (gone with their session), settings, mutes, what shows
  `
  CREATE TABLE push_subscriptions (
    endpoint TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    created BIGINT NOT NULL,
    last_success BIGINT
  );
  CREATE INDEX push_subscriptions_user ON push_subscriptions(user_id);
  CREATE INDEX push_subscriptions_session ON push_subscriptions(session_id);
  CREATE TABLE notification_settings (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    enabled BOOLEAN NOT NULL,
    preview TEXT NOT NULL
  );
  CREATE TABLE conversation_mutes (
    user_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    until BIGINT,
    PRIMARY KEY (user_id, conversation_id)
  );
  CREATE TABLE push_showing (
    user_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    message_id TEXT,
    request_notified BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (user_id, conversation_id)
  );
  CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 3: operations — admins, disabled and deleted accounts, the registration mode, invites,
  // one-time links (stored hashed) and the audit log (signals cross processes on Redis)
  `
  ALTER TABLE users ADD COLUMN admin BOOLEAN NOT NULL DEFAULT FALSE;
  ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
  ALTER TABLE users ADD COLUMN deleted BIGINT;
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE invites (
    id TEXT PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    max_uses INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0,
    expires BIGINT NOT NULL,
    revoked BIGINT,
    created BIGINT NOT NULL,
    created_by TEXT NOT NULL
  );
  CREATE TABLE one_time_tokens (
    hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    expires BIGINT NOT NULL,
    created BIGINT NOT NULL
  );
  CREATE INDEX one_time_tokens_user ON one_time_tokens(user_id);
  CREATE TABLE audit_log (
    seq BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT
  );
  `,
  // 4: rich messages (issue #12) — when the server stored each message (the edit window
  // starts there), replies, attachments (JSON, without upload tokens), reactions
  `
  ALTER TABLE messages ADD COLUMN stored BIGINT;
  ALTER TABLE messages ADD COLUMN reply_to TEXT;
  ALTER TABLE messages ADD COLUMN attachments TEXT;
  CREATE TABLE message_reactions (
    conversation_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    emoji TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, message_id, user_id, emoji)
  );
  `,
  // 5: attachments (issue #12): the uploads' rows, and their bytes by SHA-256 in chunks
  // (server/attachments/pg-blob-store.ts; pg_dump backs them up with everything else)
  `
  CREATE TABLE attachments (
    id TEXT COLLATE "C" PRIMARY KEY,
    conversation_id TEXT COLLATE "C" NOT NULL,
    uploader TEXT COLLATE "C" NOT NULL,
    upload_key TEXT COLLATE "C" NOT NULL,
    sha256 TEXT COLLATE "C" NOT NULL,
    thumb_sha256 TEXT COLLATE "C",
    kind TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    size BIGINT NOT NULL,
    width INTEGER,
    height INTEGER,
    duration_ms INTEGER,
    created BIGINT NOT NULL,
    message_id TEXT COLLATE "C",
    UNIQUE (conversation_id, uploader, upload_key)
  );
  CREATE INDEX attachments_sha256 ON attachments(sha256);
  CREATE INDEX attachments_thumb ON attachments(thumb_sha256);
  CREATE INDEX attachments_message ON attachments(conversation_id, message_id);
  CREATE INDEX attachments_unbound ON attachments(created) WHERE message_id IS NULL;
  CREATE INDEX attachments_uploader ON attachments(uploader);
  CREATE TABLE blobs (
    sha256 TEXT COLLATE "C" PRIMARY KEY,
    blob_id TEXT COLLATE "C" NOT NULL,
    size BIGINT NOT NULL,
    created BIGINT NOT NULL
  );
  CREATE TABLE blob_chunks (
    blob_id TEXT COLLATE "C" NOT NULL,
    seq INTEGER NOT NULL,
    data BYTEA NOT NULL,
    created BIGINT NOT NULL,
    PRIMARY KEY (blob_id, seq)
  );
  `,
  // 6: message search — a tsvector of each message's current text ('simple': lower-cased
  // words, no stemming, no stop words, like SQLite's FTS5 unicode61), generated from \`text\`
  // so that inserts, edits and deletes (text '') keep it in step without any code; a GIN index.
  `
  ALTER TABLE messages ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, text)) STORED;
  CREATE INDEX messages_search ON messages USING gin (search);
  `,
  // Profiles: an "about" line and a photo (as in SQLite).
  `
  ALTER TABLE users ADD COLUMN about TEXT NOT NULL DEFAULT '';
  ALTER TABLE users ADD COLUMN avatar TEXT;
  CREATE TABLE avatars (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    large BYTEA NOT NULL,
    small BYTEA NOT NULL
  );
  `,
  // Privacy settings (issue #14): a user without a row has the defaults (everything shared).
  `
  CREATE TABLE privacy_settings (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    read_receipts BOOLEAN NOT NULL,
    last_seen TEXT NOT NULL,
    typing BOOLEAN NOT NULL,
    discoverable BOOLEAN NOT NULL
  );
  `,
  // issue #14: per-user conversation preferences — pinned (in pin order), archived, and
  // "delete chat for me" (messages written at or before cleared_at are gone for that user)
  `
  CREATE TABLE conversation_prefs (
    user_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    pinned_at BIGINT,
    archived BOOLEAN NOT NULL DEFAULT false,
    cleared_at BIGINT,
    PRIMARY KEY (user_id, conversation_id)
  );
  `,
  // devices (issue #14): each session's User-Agent, a location-free address hint and when it
  // was last active (as in SQLite)
  `
  ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
  ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
  ALTER TABLE sessions ADD COLUMN last_active BIGINT;
  `,
];

/** The advisory lock key all Parley processes take while migrating ("parley-migrate"). */
const MIGRATION_LOCK = 0x7061726c;

/**
 * Apply every migration newer than the database's version, holding an advisory lock so two
 * processes starting at once do not race. Returns the version the database is at.
 */
export async function migratePg(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied BIGINT NOT NULL)',
    );
    const { rows } = await client.query<{ v: number | null }>(
      'SELECT max(version) AS v FROM schema_migrations',
    );
    let version = rows[0]?.v ?? 0;
    for (let i = version; i < pgMigrations.length; i++) {
      const sql = pgMigrations[i];
      if (sql === undefined) continue;
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version, applied) VALUES ($1, $2)', [
          i + 1,
          Date.now(),
        ]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
      version = i + 1;
    }
    return version;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

/** The schema version the code expects (`doctor` compares it with the database's). */
export const PG_SCHEMA_VERSION = pgMigrations.length;
