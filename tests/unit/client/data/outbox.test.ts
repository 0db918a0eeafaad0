/**
 * The attachment outbox in Node (no IndexedDB: it keeps its queue in memory). The upload is
 * the network boundary and is replaced by a scripted server; everything else is real.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../client/data/api';
import type { UploadFn, UploadInput } from '../../../../client/data/attachment-upload';
import { Outbox } from '../../../../client/data/outbox';
import type { AttachmentRef } from '../../../../shared/attachments';

const refFor = (input: UploadInput, n: number): AttachmentRef => ({
  id: `a_${String(n).padStart(20, '0')}`,
  kind: 'file',
  name: input.name,
  type: 'application/octet-stream',
  size: input.blob.size,
  token: 'x'.repeat(43),
});

/** A server that answers each upload with the next scripted outcome ('ok' or an error). */
function server(script: ('ok' | ApiError | 'hang')[]) {
  const calls: UploadInput[] = [];
  const upload: UploadFn = (input, onProgress, signal) => {
    calls.push(input);
    const next = script.shift() ?? 'ok';
    if (next === 'hang')
      return new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(new ApiError('network', 'cancelled', 0))),
      );
    if (next !== 'ok') return Promise.reject(next);
    onProgress(input.blob.size, input.blob.size);
    return Promise.resolve(refFor(input, calls.length));
  };
  return { calls, upload };
}

const offline = (): ApiError => new ApiError('network', "Can't reach Parley.", 0);

function outboxWith(upload: UploadFn) {
  const sent: { conversationId: string; text: string; attachments: AttachmentRef[] }[] = [];
  const outbox = new Outbox({
    userId: 'u_test',
    upload,
    win: null,
    retryMs: 60_000,
    send: (conversationId, text, attachments) => {
      sent.push({ conversationId, text, attachments });
      return true;
    },
  });
  return { outbox, sent };
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe('Outbox', () => {
  it('writes the message once, after every upload answered, with the same key on retries', async () => {
    const s = server([offline(), 'ok', 'ok']);
    const { outbox, sent } = outboxWith(s.upload);
    await outbox.start();
    await outbox.add('c1', 'two files', [
      { blob: new Blob(['aaaa']), name: 'a.txt' },
      { blob: new Blob(['bb']), name: 'b.txt' },
    ]);
    // Offline: it waits, nothing written.
    await until(() => outbox.snapshot.pending[0]?.state === 'waiting');
    expect(sent).toEqual([]);
    outbox.kick(); // the network is back
    await until(() => sent.length === 1);
    expect(sent[0]!.attachments.map((a) => a.name)).toEqual(['a.txt', 'b.txt']);
    expect(s.calls.map((c) => c.name)).toEqual(['a.txt', 'a.txt', 'b.txt']);
    expect(s.calls[0]!.key).toBe(s.calls[1]!.key); // the retry is recognised by the server
    expect(outbox.snapshot.pending).toEqual([]);
    // Barrier: a later message went out, so a second copy of the first would have too.
    await outbox.add('c1', 'barrier', [{ blob: new Blob(['c']), name: 'c.txt' }]);
    await until(() => sent.length === 2);
    expect(sent.map((m) => m.text)).toEqual(['two files', 'barrier']);
    outbox.dispose();
  });

  it('a refused upload (too large) is shown as failed and never sent', async () => {
    const s = server([new ApiError('too-large', 'This file is too large.', 413)]);
    const { outbox, sent } = outboxWith(s.upload);
    await outbox.start();
    await outbox.add('c1', '', [{ blob: new Blob(['x']), name: 'huge.bin' }]);
    await until(() => outbox.snapshot.pending[0]?.state === 'failed');
    expect(outbox.snapshot.pending[0]?.error).toBe('This file is too large.');
    await outbox.add('c1', 'barrier', [{ blob: new Blob(['c']), name: 'c.txt' }]);
    await until(() => sent.length === 1);
    expect(sent.map((m) => m.text)).toEqual(['barrier']);
    expect(s.calls.map((c) => c.name)).toEqual(['huge.bin', 'c.txt']);
    outbox.dispose();
  });

  it('cancel stops the upload and the message is never written', async () => {
    const s = server(['hang']);
    const { outbox, sent } = outboxWith(s.upload);
    await outbox.start();
    const id = await outbox.add('c1', '', [{ blob: new Blob(['voice']), name: 'v.webm', voice: { durationMs: 1200 } }]);
    await until(() => outbox.snapshot.pending[0]?.state === 'uploading');
    expect(s.calls[0]!.voice).toEqual({ durationMs: 1200 });
    await outbox.cancel(id);
    expect(outbox.snapshot.pending).toEqual([]);
    await outbox.add('c1', 'barrier', [{ blob: new Blob(['c']), name: 'c.txt' }]);
    await until(() => sent.length === 1);
    expect(sent.map((m) => m.text)).toEqual(['barrier']);
    expect(s.calls.map((c) => c.name)).toEqual(['v.webm', 'c.txt']);
    outbox.dispose();
  });
});
