/**
 * The tables `npm run migrate` copies from SQLite to PostgreSQL, in dependency order (a row's
 * foreign keys point at tables copied before it), with the columns both schemas share.
 */

export interface MovedTable {
  name: string;
  /** PostgreSQL columns, in insert order; the SQLite query returns them under these names. */
  columns: readonly string[];
  /** The SQLite select list when it differs from `columns`. */
  select?: string;
  /** SQLite ORDER BY: keeps sequence order and makes a run repeatable. */
  order: string;
  /** Columns kept as 0/1 in SQLite and BOOLEAN in PostgreSQL. */
  booleans?: readonly string[];
}

export const MOVED_TABLES: readonly MovedTable[] = [
  {
    name: 'users',
    columns: [
      'id',
      'email',
      'display_name',
      'display_name_lower',
      'password_hash',
      'created',
      'last_seen',
      'admin',
      'disabled',
      'deleted',
      'about',
      'avatar',
    ],
    order: 'rowid',
    booleans: ['admin', 'disabled'],
  },
  {
    name: 'sessions',
    columns: ['id', 'user_id', 'created', 'user_agent', 'address', 'last_active'],
    order: 'rowid',
  },
  {
    name: 'conversations',
    columns: ['id', 'user_a', 'user_b', 'opened_by', 'created', 'activity', 'accepted', 'epoch'],
    order: 'rowid',
    booleans: ['accepted'],
  },
  { name: 'doc_updates', columns: ['seq', 'doc', 'data'], order: 'seq' },
  { name: 'doc_clients', columns: ['doc', 'client_id', 'user_id'], order: 'doc, client_id' },
  {
    // PostgreSQL's seq is SQLite's rowid (arrival order), kept as is: read_markers.up_to_seq
    // holds rowids and so points at the same messages after the move.
    name: 'messages',
    columns: [
      'seq',
      'conversation_id',
      'id',
      'sender',
      'text',
      'created',
      'edited',
      'deleted',
      'stored',
      'reply_to',
      'attachments',
    ],
    select:
      'rowid AS seq, conversation_id, id, sender, text, created, edited, deleted, stored, reply_to, attachments',
    order: 'rowid',
    booleans: ['deleted'],
  },
  {
    name: 'read_markers',
    columns: ['conversation_id', 'user_id', 'up_to', 'up_to_seq', 'at'],
    order: 'conversation_id, user_id',
  },
  { name: 'contacts', columns: ['user_id', 'contact_id', 'created'], order: 'user_id, contact_id' },
  {
    name: 'contact_requests',
    columns: ['id', 'from_user', 'to_user', 'created'],
    order: 'rowid',
  },
  { name: 'blocks', columns: ['blocker', 'blocked', 'created'], order: 'blocker, blocked' },
  {
    name: 'conversation_hidden',
    columns: ['conversation_id', 'user_id'],
    order: 'conversation_id, user_id',
  },
  { name: 'doc_received', columns: ['doc', 'user_id', 'sv'], order: 'doc, user_id' },
  {
    name: 'unread_counts',
    columns: ['conversation_id', 'user_id', 'n'],
    order: 'conversation_id, user_id',
  },
  { name: 'user_storage', columns: ['user_id', 'bytes'], order: 'user_id' },
  {
    name: 'push_subscriptions',
    columns: [
      'endpoint',
      'user_id',
      'session_id',
      'p256dh',
      'auth',
      'user_agent',
      'created',
      'last_success',
    ],
    order: 'endpoint',
  },
  {
    name: 'notification_settings',
    columns: ['user_id', 'enabled', 'preview'],
    order: 'user_id',
    booleans: ['enabled'],
  },
  {
    name: 'conversation_mutes',
    columns: ['user_id', 'conversation_id', 'until'],
    order: 'user_id, conversation_id',
  },
  {
    name: 'conversation_prefs',
    columns: ['user_id', 'conversation_id', 'pinned_at', 'archived', 'cleared_at'],
    order: 'user_id, conversation_id',
    booleans: ['archived'],
  },
  {
    name: 'push_showing',
    columns: ['user_id', 'conversation_id', 'message_id', 'request_notified'],
    order: 'user_id, conversation_id',
    booleans: ['request_notified'],
  },
  {
    name: 'privacy_settings',
    columns: ['user_id', 'read_receipts', 'last_seen', 'typing', 'discoverable'],
    order: 'user_id',
    booleans: ['read_receipts', 'typing', 'discoverable'],
  },
  { name: 'server_keys', columns: ['name', 'value'], order: 'name' },
  { name: 'settings', columns: ['key', 'value'], order: 'key' },
  {
    name: 'invites',
    columns: ['id', 'code_hash', 'max_uses', 'used', 'expires', 'revoked', 'created', 'created_by'],
    order: 'rowid',
  },
  {
    name: 'one_time_tokens',
    columns: ['hash', 'user_id', 'purpose', 'expires', 'created'],
    order: 'rowid',
  },
  // admin_signals are not moved: they are notices to a running embedded server, not data.
  {
    name: 'audit_log',
    columns: ['seq', 'at', 'actor', 'action', 'target', 'detail'],
    order: 'seq',
  },
  {
    name: 'message_reactions',
    columns: ['conversation_id', 'message_id', 'user_id', 'emoji', 'at'],
    order: 'conversation_id, message_id, user_id, emoji',
  },
  {
    // Their bytes (DATA_DIR/blobs) are copied into the blobs table after the rows.
    name: 'attachments',
    columns: [
      'id',
      'conversation_id',
      'uploader',
      'upload_key',
      'sha256',
      'thumb_sha256',
      'kind',
      'type',
      'name',
      'size',
      'width',
      'height',
      'duration_ms',
      'created',
      'message_id',
    ],
    order: 'rowid',
  },
  { name: 'avatars', columns: ['user_id', 'version', 'large', 'small'], order: 'user_id' },
];
