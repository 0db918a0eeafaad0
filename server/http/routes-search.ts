/** `GET /api/search`: find messages in the signed-in user's own conversations. */
import { Router } from 'express';
import type { DirectoryUser, SearchResult, SearchResults } from '../../shared/api';
import { snippet } from '../../shared/search-text';
import type { Sessions } from '../auth/session';
import type { People } from '../people';
import type { MessageSearch } from '../store/message-search';
import { locals, requireUser } from './middleware';
import { messageSearchQuery, parse } from './schemas';

export interface SearchDeps {
  sessions: Sessions;
  people: People;
  search: MessageSearch;
}

export function searchRouter(deps: SearchDeps): Router {
  const r = Router();
  r.use('/search', requireUser(deps.sessions));

  r.get('/search', async (req, res) => {
    const { user } = locals(res);
    const { q: words, limit, before } = parse(messageSearchQuery, req.query);
    const hits = await deps.search.search({
      userId: user.id,
      words,
      before: before ?? null,
      limit,
      now: Date.now(),
    });
    // One directory entry per peer (presence shown only where the people rules allow it),
    // looked up side by side: with PostgreSQL each is a few round trips.
    const peerIds = [...new Set(hits.map((h) => h.peer))];
    const entries = await Promise.all(
      peerIds.map(async (id): Promise<DirectoryUser | null> => {
        const u = await deps.people.users.byId(id);
        return u ? deps.people.directoryUser(user.id, u) : null;
      }),
    );
    const peers = new Map(peerIds.map((id, i) => [id, entries[i] ?? null]));
    const results: SearchResult[] = [];
    for (const hit of hits) {
      const p = peers.get(hit.peer);
      if (!p) continue;
      results.push({
        conversationId: hit.message.conversationId,
        peer: p,
        message: hit.message,
        snippet: snippet(hit.message.text, words),
      });
    }
    const body: SearchResults = { results };
    res.json(body);
  });

  return r;
}
