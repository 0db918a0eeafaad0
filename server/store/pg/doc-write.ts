/**
 * One document write inside `PgStorage.commit`'s transaction: append the update, bind its
 * new client ids, and project it into messages, read markers, unread counts and activity —
 * statement for statement what SqliteStorage and `SqliteConversationStore.applyProjection` do.
 * The hot paths are short: a write that adds messages is one statement, one that moves a
 * read marker two.
 */
import type pg from 'pg';
import { UNREAD_CAP, type ProjectionChange } from '../conversation-store';
import type { DocWrite } from '../storage';
import { seqOf } from './doc-store';
import { first, run, statement } from './pool';
import { attachmentsJson } from '../rows';

const q = {
  // Data-modifying CTEs that do not read each other's rows, so sharing one snapshot is right.
  write: statement(
    `WITH appended AS (
       INSERT INTO doc_updates (doc, data) VALUES ($1, $2) RETURNING seq
     ), bound AS (
       INSERT INTO doc_clients (doc, client_id, user_id)
       SELECT $1, c, $3 FROM unnest($4::bigint[]) AS c
       ON CONFLICT DO NOTHING
     ), added AS (
       INSERT INTO messages (conversation_id, id, sender, text, created, stored, reply_to, attachments)
       SELECT $5, m.id, m.sender, m.text, m.created, m.stored, m.reply_to, m.attachments
       FROM unnest($6::text[], $7::text[], $8::text[], $9::bigint[], $14::bigint[], $15::text[], $16::text[])
         AS m(id, sender, text, created, stored, reply_to, attachments)
       ON CONFLICT DO NOTHING
     ), counted AS (
       INSERT INTO unread_counts (conversation_id, user_id, n)
       SELECT $5, u.user_id, least(u.n, ${UNREAD_CAP}) FROM unnest($10::text[], $11::int[]) AS u(user_id, n)
       ON CONFLICT (conversation_id, user_id)
       DO UPDATE SET n = least(unread_counts.n + excluded.n, ${UNREAD_CAP})
     ), touched AS (
       UPDATE conversations SET activity = $12 WHERE id = $5 AND activity < $13
     )
     SELECT seq FROM appended`,
  ),
  // Deleted for everyone: nothing of its content stays (the reply link and time do).
  delete: statement(
    `WITH gone AS (
       DELETE FROM message_reactions WHERE conversation_id = $1 AND message_id = ANY ($2::text[])
     )
     UPDATE messages SET text = '', attachments = NULL, deleted = true
     WHERE conversation_id = $1 AND id = ANY ($2::text[])`,
  ),
  unreact: statement(
    `DELETE FROM message_reactions r USING unnest($2::text[], $3::text[], $4::text[]) AS x(m, u, e)
     WHERE r.conversation_id = $1 AND r.message_id = x.m AND r.user_id = x.u AND r.emoji = x.e`,
  ),
  // Only to a message that is there and not deleted (the validator checked the document).
  react: statement(
    `INSERT INTO message_reactions (conversation_id, message_id, user_id, emoji, at)
     SELECT $1, x.m, x.u, x.e, x.at FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[]) AS x(m, u, e, at)
     JOIN messages m ON m.conversation_id = $1 AND m.id = x.m AND NOT m.deleted
     ON CONFLICT (conversation_id, message_id, user_id, emoji) DO UPDATE SET at = excluded.at`,
  ),
  edit: statement(
    `UPDATE messages m SET text = e.text, edited = e.at
     FROM unnest($2::text[], $3::text[], $4::bigint[]) AS e(id, text, at)
     WHERE m.conversation_id = $1 AND m.id = e.id AND NOT m.deleted`,
  ),
  // A read marker only moves forward (by the arrival order of the message it names).
  read: statement(
    `INSERT INTO read_markers (conversation_id, user_id, up_to, up_to_seq, at)
     SELECT $1, r.user_id, r.up_to, m.seq, r.at
     FROM unnest($2::text[], $3::text[], $4::bigint[]) AS r(user_id, up_to, at)
     JOIN messages m ON m.conversation_id = $1 AND m.id = r.up_to
     ON CONFLICT (conversation_id, user_id) DO UPDATE
     SET up_to = excluded.up_to, up_to_seq = excluded.up_to_seq, at = excluded.at
     WHERE excluded.up_to_seq >= read_markers.up_to_seq`,
  ),
  // The hot case of a read marker (one reader, no delete) in one statement: move the marker,
  // then recount from where it stands — moved (RETURNING) or not (the row as it was).
  readOne: statement(
    `WITH marked AS (
       INSERT INTO read_markers (conversation_id, user_id, up_to, up_to_seq, at)
       SELECT $1, $2, $3, m.seq, $4 FROM messages m WHERE m.conversation_id = $1 AND m.id = $3
       ON CONFLICT (conversation_id, user_id) DO UPDATE
       SET up_to = excluded.up_to, up_to_seq = excluded.up_to_seq, at = excluded.at
       WHERE excluded.up_to_seq >= read_markers.up_to_seq
       RETURNING up_to_seq
     ), marker AS (
       SELECT coalesce(
         (SELECT up_to_seq FROM marked),
         (SELECT r.up_to_seq FROM read_markers r WHERE r.conversation_id = $1 AND r.user_id = $2),
         0
       ) AS seq
     )
     INSERT INTO unread_counts (conversation_id, user_id, n)
     SELECT $1, $2, count(*) FROM (
       SELECT 1 FROM messages m
       WHERE m.conversation_id = $1 AND NOT m.deleted AND m.sender <> $2
         AND m.seq > (SELECT seq FROM marker)
       LIMIT ${UNREAD_CAP}
     ) AS unread
     ON CONFLICT (conversation_id, user_id) DO UPDATE SET n = excluded.n`,
  ),
  // The other person's live messages after the reader's marker, counted up to the cap.
  recount: statement(
    `INSERT INTO unread_counts (conversation_id, user_id, n)
     SELECT $1, p.user_id, (
       SELECT count(*) FROM (
         SELECT 1 FROM messages m
         WHERE m.conversation_id = $1 AND NOT m.deleted AND m.sender <> p.user_id
           AND m.seq > coalesce((SELECT r.up_to_seq FROM read_markers r
                                 WHERE r.conversation_id = $1 AND r.user_id = p.user_id), 0)
         LIMIT ${UNREAD_CAP}
       ) AS unread
     )
     FROM unnest($2::text[]) AS p(user_id)
     ON CONFLICT (conversation_id, user_id) DO UPDATE SET n = excluded.n`,
  ),
};

/** Run `w` on `tx` (inside the caller's savepoint); returns the update's log sequence. */
export async function writeOne(tx: pg.PoolClient, w: DocWrite): Promise<number> {
  const c = w.projection;
  const added = c?.added ?? [];
  // Unread counts: new messages add to the other participant's; a moved read marker or a
  // delete recounts instead (after every other change, below).
  const recount = new Set<string>(c?.reads.map((r) => r.userId));
  if (c && c.deleted.length > 0) for (const p of w.participants) recount.add(p);
  const addTo: string[] = [];
  const addN: number[] = [];
  for (const p of w.participants) {
    if (recount.has(p)) continue;
    const n = added.filter((m) => m.from !== p).length;
    if (n > 0) {
      addTo.push(p);
      addN.push(n);
    }
  }
  const latest = added.reduce((max, m) => Math.max(max, m.at), 0);
  const seq = seqOf(
    await first<{ seq: number }>(tx, q.write, [
      w.doc,
      w.update,
      w.userId,
      w.newClients,
      w.conversationId,
      added.map((m) => m.id),
      added.map((m) => m.from),
      added.map((m) => m.text),
      added.map((m) => m.at),
      addTo,
      addN,
      Math.max(latest, Date.now()),
      latest,
      added.map((m) => m.stored),
      added.map((m) => m.replyTo ?? null),
      added.map((m) => attachmentsJson(m.attachments)),
    ]),
  );
  if (c) await projectChanges(tx, w.conversationId, c, recount);
  return seq;
}

/** A read outside the document: `userId`'s marker moves forward, their unread is recounted. */
export async function markReadOutsideDoc(
  db: pg.Pool | pg.PoolClient,
  conversationId: string,
  userId: string,
  upTo: string,
  at: number,
): Promise<void> {
  await run(db, q.readOne, [conversationId, userId, upTo, at]);
}

/** Deletes, edits, read markers and recounts: each reads what the one before wrote. */
async function projectChanges(
  tx: pg.PoolClient,
  conversationId: string,
  c: ProjectionChange,
  recount: Set<string>,
): Promise<void> {
  const removed = c.reactionsRemoved ?? [];
  if (removed.length > 0)
    await run(tx, q.unreact, [
      conversationId,
      removed.map((r) => r.messageId),
      removed.map((r) => r.userId),
      removed.map((r) => r.emoji),
    ]);
  // One row per key (ON CONFLICT may touch a row once): the last one wins.
  const reacted = [
    ...new Map(
      (c.reactionsAdded ?? []).map((r) => [`${r.messageId}:${r.userId}:${r.emoji}`, r]),
    ).values(),
  ];
  if (reacted.length > 0)
    await run(tx, q.react, [
      conversationId,
      reacted.map((r) => r.messageId),
      reacted.map((r) => r.userId),
      reacted.map((r) => r.emoji),
      reacted.map((r) => r.at),
    ]);
  if (c.edited.length > 0) {
    // One row per message (an UPDATE … FROM applies one match each): the last edit wins.
    const last = new Map(c.edited.map((e) => [e.id, e]));
    const edits = [...last.values()];
    await run(tx, q.edit, [
      conversationId,
      edits.map((e) => e.id),
      edits.map((e) => e.text),
      edits.map((e) => e.at),
    ]);
  }
  // After edits and reactions: one in the same update as the deletion must not survive it.
  if (c.deleted.length > 0) await run(tx, q.delete, [conversationId, c.deleted]);
  const only = c.reads.length === 1 ? c.reads[0] : undefined;
  if (only && recount.size === 1) {
    await run(tx, q.readOne, [conversationId, only.userId, only.upTo, only.at]);
    return;
  }
  // One statement per round of distinct readers (ON CONFLICT may touch a row once).
  let reads = c.reads;
  while (reads.length > 0) {
    const seen = new Set<string>();
    const round = reads.filter((r) => !seen.has(r.userId) && seen.add(r.userId));
    reads = reads.filter((r) => !round.includes(r));
    await run(tx, q.read, [
      conversationId,
      round.map((r) => r.userId),
      round.map((r) => r.upTo),
      round.map((r) => r.at),
    ]);
  }
  if (recount.size > 0) await run(tx, q.recount, [conversationId, [...recount]]);
}
