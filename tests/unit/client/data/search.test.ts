import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ConversationSummary, SearchResult } from '../../../../shared/api';
import { Api } from '../../../../client/data/api';
import { currentMessages, type ReadLocalDoc } from '../../../../client/data/device-search';
import { MessageSearch } from '../../../../client/data/search';
import { jsonFetch } from './helpers';

const me = 'u_aliceaaaaaaaaaaaaaaa';
const bob = { id: 'u_bobbbbbbbbbbbbbbbbbb', displayName: 'Bob', online: false, lastSeen: null };

const summary = (id: string, epoch = 0): ConversationSummary => ({
  id,
  doc: id,
  epoch,
  peer: bob,
  lastMessage: null,
  unread: 0,
  request: false,
  activity: 1,
  muted: null,
});

/** A device holding real Yjs documents, by IndexedDB database name. */
function device(docs: Record<string, Y.Doc>): ReadLocalDoc {
  return (name) => Promise.resolve(docs[name] ? currentMessages(docs[name]) : null);
}

function doc(messages: { id: string; text: string; at: number }[]): Y.Doc {
  const d = new Y.Doc();
  d.getArray('messages').push(messages.map((m) => ({ ...m, from: bob.id })));
  return d;
}

/** Resolve with the search's state once it has an answer. */
function answered(search: MessageSearch): Promise<MessageSearch['snapshot']> {
  return new Promise((resolve) => {
    const off = search.subscribe(() => {
      if (!search.snapshot.searching) {
        off();
        resolve(search.snapshot);
      }
    });
  });
}

const c1 = 'c_aaaaaaaaaaaaaaaaaaaa';
const c2 = 'c_bbbbbbbbbbbbbbbbbbbb';

describe('MessageSearch', () => {
  it('asks the server when online and shows its answer', async () => {
    const result: SearchResult = {
      conversationId: c1,
      peer: bob,
      message: {
        id: 'msg00001',
        conversationId: c1,
        from: bob.id,
        text: 'hi',
        at: 1,
        edited: null,
        deleted: false,
        replyTo: null,
        reactions: [],
        attachments: [],
      },
      snippet: [{ text: 'hi', match: true }],
    };
    const asked: string[] = [];
    const api = new Api({
      fetch: jsonFetch((_m, path) => {
        asked.push(path);
        return { status: 200, body: { results: [result] } };
      }),
    });
    const search = new MessageSearch({ api, userId: me, conversations: () => [], debounceMs: 0 });
    search.search('  hi there ');
    const state = await answered(search);
    expect(asked).toEqual(['/api/search?q=hi+there&limit=20']);
    expect(state).toMatchObject({ source: 'server', error: null, results: [result] });
  });

  it('searches the documents on this device when the server cannot be reached, edits applied', async () => {
    const live = doc([
      { id: 'msg00003', text: 'the picnic is on', at: 30 },
      { id: 'msg00004', text: 'typo picnik', at: 40 },
    ]);
    live.getMap('edits').set('msg00004', { text: 'fixed: picnic at noon', at: 41 });
    const sealed = doc([{ id: 'msg00001', text: 'Picnic ideas?', at: 10 }]);
    const other = doc([{ id: 'msg00009', text: 'no match here', at: 50 }]);
    const read = device({
      [`parley:${me}:${c1}.1`]: live,
      [`parley:${me}:${c1}`]: sealed,
      [`parley:${me}:${c2}`]: other,
    });
    const api = new Api({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    const search = new MessageSearch({
      api,
      userId: me,
      conversations: () => [summary(c1, 1), summary(c2)],
      read,
      debounceMs: 0,
    });
    search.search('PICNIC');
    const state = await answered(search);
    expect(state.source).toBe('device');
    // Best first: the short message that is all about it, then the newer of two alike.
    expect(state.results.map((r) => [r.conversationId, r.message.id, r.message.text])).toEqual([
      [c1, 'msg00001', 'Picnic ideas?'],
      [c1, 'msg00004', 'fixed: picnic at noon'],
      [c1, 'msg00003', 'the picnic is on'],
    ]);
    expect(state.results[0]?.snippet).toEqual([
      { text: 'Picnic', match: true },
      { text: ' ideas?', match: false },
    ]);
  });

  it('goes straight to the device when the browser is offline, and refuses a query with no words', async () => {
    let asked = 0;
    const api = new Api({
      fetch: jsonFetch(() => {
        asked++;
        return { status: 200, body: { results: [] } };
      }),
    });
    const search = new MessageSearch({
      api,
      userId: me,
      conversations: () => [summary(c1)],
      read: device({ [`parley:${me}:${c1}`]: doc([{ id: 'msg00001', text: 'offline words', at: 1 }]) }),
      online: () => false,
      debounceMs: 0,
    });
    search.search('"*');
    expect(search.snapshot.error).toBe('Type a word to search for.');
    search.search('word');
    const state = await answered(search);
    expect(asked).toBe(0);
    expect(state.results.map((r) => r.message.id)).toEqual(['msg00001']);
  });
});
