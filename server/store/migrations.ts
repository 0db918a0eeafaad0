/** Ordered schema migrations, applied at start inside one transaction each. */
import type Database from 'better-sqlite3';

const migrations: readonly string[] = [
  // 1: accounts, sessions, conversations, event log, projections
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    display_name_lower TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created INTEGER NOT NULL,
    last_seen INTEGER
  );
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created INTEGER NOT NULL
  );
  CREATE INDEX sessions_user ON sessions(user_id);
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    user_a TEXT NOT NULL REFERENCES users(id),
    user_b TEXT NOT NULL REFERENCES users(id),
    opened_by TEXT NOT NULL,
    created INTEGER NOT NULL,
    activity INTEGER NOT NULL,
    UNIQUE (user_a, user_b),
    CHECK (user_a < user_b)
  );
  CREATE INDEX conversations_b ON conversations(user_b);
  CREATE TABLE doc_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc TEXT NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX doc_updates_doc ON doc_updates(doc, seq);
  CREATE TABLE doc_clients (
    doc TEXT NOT NULL,
    client_id INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (doc, client_id)
  ) WITHOUT ROWID;
  CREATE TABLE messages (
    conversation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    sender TEXT NOT NULL,
    text TEXT NOT NULL,
    created INTEGER NOT NULL,
    edited INTEGER,
    deleted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, id)
  );
  CREATE INDEX messages_page ON messages(conversation_id, created, id);
  -- (conversation_id, rowid): unread counts scan only what arrived after the marker.
  CREATE INDEX messages_seq ON messages(conversation_id);
  CREATE TABLE read_markers (
    conversation_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    up_to TEXT NOT NULL,
    up_to_seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
  ) WITHOUT ROWID;
  `,
  // 2: people — contacts, contact requests, blocks, conversations a user declined
  `
  CREATE TABLE contacts (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    contact_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created INTEGER NOT NULL,
    PRIMARY KEY (user_id, contact_id)
  ) WITHOUT ROWID;
  CREATE TABLE contact_requests (
    id TEXT PRIMARY KEY,
    from_user TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    to_user TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created INTEGER NOT NULL,
    UNIQUE (from_user, to_user)
  );
  CREATE INDEX contact_requests_to ON contact_requests(to_user);
  CREATE TABLE blocks (
    blocker TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blocked TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created INTEGER NOT NULL,
    PRIMARY KEY (blocker, blocked)
  ) WITHOUT ROWID;
  ALTER TABLE conversations ADD COLUMN accepted INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE conversation_hidden (
    conversation_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
  ) WITHOUT ROWID;
  `,
  // 3: what each participant's device reported holding (delivery receipts survive unloads)
  `
  CREATE TABLE doc_received (
    doc TEXT NOT NULL,
    user_id TEXT NOT NULL,
    sv BLOB NOT NULL,
    PRIMARY KEY (doc, user_id)
  ) WITHOUT ROWID;
  `,
  // 4: unread counts kept up to date in the projection transaction (no scan per summary)
  `
  CREATE TABLE unread_counts (
    conversation_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
  ) WITHOUT ROWID;
  `,
  // 5: epochs — the live document's number; documents of lower epochs are sealed
  `
  ALTER TABLE conversations ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
  `,
  // 6: bytes of document updates each user stored (the storage quota, USER_QUOTA_MB)
  `
  CREATE TABLE user_storage (
    user_id TEXT PRIMARY KEY,
    bytes INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // 7: Web Push — device subscriptions (gone with their session), settings, mutes, what shows
  `
  CREATE TABLE push_subscriptions (
    endpoint TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    created INTEGER NOT NULL,
    last_success INTEGER
  );
  CREATE INDEX push_subscriptions_user ON push_subscriptions(user_id);
  CREATE INDEX push_subscriptions_session ON push_subscriptions(session_id);
  CREATE TABLE notification_settings (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    enabled INTEGER NOT NULL,
    preview TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE conversation_mutes (
    user_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    until INTEGER,
    PRIMARY KEY (user_id, conversation_id)
  ) WITHOUT ROWID;
  CREATE TABLE push_showing (
    user_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    message_id TEXT,
    request_notified INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, conversation_id)
  ) WITHOUT ROWID;
  CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 8: operations — admins, disabled and deleted accounts, the registration mode, invites,
  // one-time links (stored hashed), the audit log, and admin signals (the admin CLI's notices
  // to the running embedded server, which polls this table every second)
  `
  ALTER TABLE users ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE users ADD COLUMN deleted INTEGER;
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE invites (
    id TEXT PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    max_uses INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0,
    expires INTEGER NOT NULL,
    revoked INTEGER,
    created INTEGER NOT NULL,
    created_by TEXT NOT NULL
  );
  CREATE TABLE one_time_tokens (
    hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    expires INTEGER NOT NULL,
    created INTEGER NOT NULL
  );
  CREATE INDEX one_time_tokens_user ON one_time_tokens(user_id);
  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT
  );
  CREATE TABLE admin_signals (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    signal TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  `,
  // 9: rich messages (issue #12) — when the server stored each message (the edit window
  // starts there), replies, attachments (JSON, without upload tokens), reactions
  `
  ALTER TABLE messages ADD COLUMN stored INTEGER;
  ALTER TABLE messages ADD COLUMN reply_to TEXT;
  ALTER TABLE messages ADD COLUMN attachments TEXT;
  CREATE TABLE message_reactions (
    conversation_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    emoji TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, message_id, user_id, emoji)
  ) WITHOUT ROWID;
  `,
  // 10: attachments (issue #12): uploads of photos, files and voice notes; their bytes are in
  // DATA_DIR/blobs by SHA-256 (server/attachments/fs-blob-store.ts)
  `
  CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    uploader TEXT NOT NULL,
    upload_key TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    thumb_sha256 TEXT,
    kind TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    duration_ms INTEGER,
    created INTEGER NOT NULL,
    message_id TEXT,
    UNIQUE (conversation_id, uploader, upload_key)
  );
  CREATE INDEX attachments_sha256 ON attachments(sha256);
  CREATE INDEX attachments_thumb ON attachments(thumb_sha256);
  CREATE INDEX attachments_message ON attachments(conversation_id, message_id);
  CREATE INDEX attachments_unbound ON attachments(created) WHERE message_id IS NULL;
  CREATE INDEX attachments_uploader ON attachments(uploader);
  `,
  // 11: message search — an FTS5 index over the projection's current text. Contentless: the
  // text lives only in `messages`; the index is addressed by the messages' rowid. New
  // messages are indexed in batches after their commit, up to `messages_fts_upto.upto`
  // (SqliteMessageSearch.catchUp; a commit of one message pays ~45 µs for its own FTS
  // segment otherwise); edits and deletes of indexed messages follow at once, by triggers.
  // secure-delete: a deleted or edited message's old words leave the index pages.
  `
  CREATE VIRTUAL TABLE messages_fts USING fts5(
    text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
  );
  INSERT INTO messages_fts (messages_fts, rank) VALUES ('secure-delete', 1);
  CREATE TABLE messages_fts_upto (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    upto INTEGER NOT NULL
  );
  INSERT INTO messages_fts_upto (id, upto) VALUES (0, 0);
  -- A rowid at or below the mark (only if rowids were ever reused) is indexed at once.
  CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
  WHEN new.deleted = 0 AND new.rowid <= (SELECT upto FROM messages_fts_upto) BEGIN
    INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
  END;
  CREATE TRIGGER messages_fts_update AFTER UPDATE OF text, deleted ON messages
  WHEN old.rowid <= (SELECT upto FROM messages_fts_upto) BEGIN
    DELETE FROM messages_fts WHERE rowid = old.rowid;
    INSERT INTO messages_fts (rowid, text) SELECT new.rowid, new.text WHERE new.deleted = 0;
  END;
  CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
  WHEN old.rowid <= (SELECT upto FROM messages_fts_upto) BEGIN
    DELETE FROM messages_fts WHERE rowid = old.rowid;
  END;
  `,
  // Profiles: an "about" line and a photo (its version on the user row; the two stored
  // squares, already re-encoded without metadata, in their own table).
  `
  ALTER TABLE users ADD COLUMN about TEXT NOT NULL DEFAULT '';
  ALTER TABLE users ADD COLUMN avatar TEXT;
  CREATE TABLE avatars (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    large BLOB NOT NULL,
    small BLOB NOT NULL
  );
  `,
  // Privacy settings (issue #14): a user without a row has the defaults (everything shared).
  `
  CREATE TABLE privacy_settings (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    read_receipts INTEGER NOT NULL,
    last_seen TEXT NOT NULL,
    typing INTEGER NOT NULL,
    discoverable INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // issue #14: per-user conversation preferences — pinned (in pin order), archived, and
  // "delete chat for me" (messages written at or before cleared_at are gone for that user)
  `
  CREATE TABLE conversation_prefs (
    user_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    pinned_at INTEGER,
    archived INTEGER NOT NULL DEFAULT 0,
    cleared_at INTEGER,
    PRIMARY KEY (user_id, conversation_id)
  ) WITHOUT ROWID;
  `,
  // devices (issue #14): what each session's browser said it is (its User-Agent), a
  // location-free hint of its address ("192.168.1.x"), and when it was last active (written
  // at most once a minute per session and process, server/auth/session.ts)
  `
  ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
  ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
  ALTER TABLE sessions ADD COLUMN last_active INTEGER;
  `,
];

/** The schema version the code expects (`npm run migrate` copies only a file at it). */
export const SQLITE_SCHEMA_VERSION = migrations.length;

/** Apply every migration newer than the database's `user_version`. */
export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let i = current; i < migrations.length; i++) {
    const sql = migrations[i];
    if (sql === undefined) continue;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}
