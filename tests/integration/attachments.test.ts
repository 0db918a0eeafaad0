/**
 * Attachments end to end through the real server, in both deployments: who may upload and
 * download, hostile uploads (over the limit, an executable named .jpg, someone else's
 * upload referenced in a message), metadata stripping, and delete for everyone removing
 * the bytes from the blob store.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { TestClient, waitFor, type Device } from '../helpers/client';
import { CloseCode } from '../../shared/protocol';
import { newMessageId } from '../../shared/schema';
import type { AttachmentRef } from '../../shared/attachments';
import {
  download,
  photoWithGps,
  startAttachmentServer,
  upload,
  uploadKey,
  type AttachmentServer,
  type Deployment,
} from './attachments-fixture';

/** Push a message carrying `attachments` (an empty caption) from `device`. */
function sendWith(device: Device, from: string, attachments: AttachmentRef[], text = ''): string {
  const id = newMessageId();
  device.messages.push([{ id, from, text, at: Date.now(), attachments }]);
  return id;
}

for (const kind of ['sqlite', 'postgres'] as Deployment[]) {
  describe(`attachments (${kind})`, () => {
    let server: AttachmentServer;
    let alice: TestClient;
    let bob: TestClient;
    let carol: TestClient;
    let conversationId: string;
    let doc: string;

    beforeAll(async () => {
      server = await startAttachmentServer(kind, { maxUploadBytes: 1024 * 1024 });
      alice = new TestClient(server.origin);
      bob = new TestClient(server.origin);
      carol = new TestClient(server.origin);
      await alice.register(`alice-${kind}@example.com`, 'Alice');
      await bob.register(`bob-${kind}@example.com`, 'Bob');
      await carol.register(`carol-${kind}@example.com`, 'Carol');
      const c = await alice.open(bob.user!.id);
      conversationId = c.id;
      doc = c.doc;
    });
    afterAll(async () => {
      alice.destroy();
      bob.destroy();
      await server.stop();
    });

    it('strips the location from a photo before the other person downloads it', async () => {
      const original = await photoWithGps();
      const before = await sharp(original).metadata();
      expect(before.exif).toBeDefined(); // with its GPS IFD (IFD3)
      expect(before.orientation).toBe(6);
      expect(original.includes(Buffer.from('SpyCam'))).toBe(true);
      const up = await upload(alice, conversationId, original, { name: 'beach.jpg' });
      expect(up.status).toBe(201);
      const ref = up.body.attachment!;
      // EXIF orientation 6 applied: the 64×48 picture stands upright, 48×64.
      expect(ref).toMatchObject({ kind: 'image', type: 'image/jpeg', name: 'beach.jpg' });
      expect([ref.width, ref.height]).toEqual([48, 64]);

      // Not sent yet: only Alice may fetch it.
      expect((await download(alice, conversationId, ref.id)).status).toBe(200);
      expect((await download(bob, conversationId, ref.id)).status).toBe(403);

      const device = await alice.connect(server.wsUrl, doc);
      sendWith(device, alice.user!.id, [ref]);
      await waitFor(() => device.allAcked(), 10_000, 'the photo message stored');

      const got = await download(bob, conversationId, ref.id);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('image/jpeg');
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
      expect(got.headers.get('content-disposition')).toMatch(/^inline;/);
      expect(got.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
      const meta = await sharp(got.bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(got.bytes.includes(Buffer.from('SpyCam'))).toBe(false);
      expect([meta.width, meta.height]).toEqual([48, 64]);

      const thumb = await download(bob, conversationId, ref.id, '/thumb');
      expect(thumb.status).toBe(200);
      expect((await sharp(thumb.bytes).metadata()).format).toBe('webp');

      // Someone outside the conversation: refused; an unknown id: not found.
      const third = await download(carol, conversationId, ref.id);
      expect(third.status).toBe(403);
      expect(third.bytes.toString()).not.toContain('SpyCam');
      expect((await download(bob, conversationId, 'a_AAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
      device.destroy();
    });

    it('refuses an upload by someone outside the conversation', async () => {
      const r = await upload(carol, conversationId, Buffer.from('hello'));
      expect(r.status).toBe(403);
    });

    it('refuses an upload over the limit with 413 and stores nothing', async () => {
      const before = { blobs: await server.blobs(), rows: await server.rows() };
      const r = await upload(alice, conversationId, Buffer.alloc(1024 * 1024 + 1, 7), {
        name: 'big.bin',
      });
      expect(r.status).toBe(413);
      expect(r.body.error?.code).toBe('too-large');
      expect(r.body.error?.message).toMatch(/at most 1 MB/);
      expect(await server.blobs()).toEqual(before.blobs);
      expect(await server.rows()).toBe(before.rows);
    });

    it('refuses uploads past the person’s attachment storage, storing nothing', async () => {
      const other = await startAttachmentServer(kind, { attachmentQuotaBytes: 3000 });
      try {
        const a = new TestClient(other.origin);
        const b = new TestClient(other.origin);
        await a.register(`quota-a-${kind}@example.com`, 'A');
        await b.register(`quota-b-${kind}@example.com`, 'B');
        const c = await a.open(b.user!.id);
        expect((await upload(a, c.id, Buffer.alloc(2000, 1), { name: 'one.bin' })).status).toBe(
          201,
        );
        const blobs = await other.blobs();
        const full = await upload(a, c.id, Buffer.alloc(2000, 2), { name: 'two.bin' });
        expect(full.status).toBe(413);
        expect(full.body.error?.message).toMatch(/storage is full/);
        expect(await other.blobs()).toEqual(blobs);
        // The other person's storage is their own.
        expect((await upload(b, c.id, Buffer.alloc(2000, 3), { name: 'three.bin' })).status).toBe(
          201,
        );
      } finally {
        await other.stop();
      }
    });

    it('never serves an executable renamed .jpg as an image', async () => {
      // An ELF header followed by code-like bytes, named like a photo.
      const elf = Buffer.concat([
        Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
        Buffer.alloc(2000, 0x90),
      ]);
      const up = await upload(alice, conversationId, elf, { name: 'holiday.jpg' });
      expect(up.status).toBe(201);
      const ref = up.body.attachment!;
      expect(ref.kind).toBe('file');
      expect(ref.type).not.toMatch(/^image\//);
      const got = await download(alice, conversationId, ref.id);
      expect(got.headers.get('content-type')).toBe('application/octet-stream');
      expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(got.bytes.equals(elf)).toBe(true);
      expect((await download(alice, conversationId, ref.id, '/thumb')).status).toBe(404);
    });

    it('serves byte ranges (voice notes seek) and answers a revalidation with 304', async () => {
      const bytes = Buffer.from('%PDF-1.4\n' + 'x'.repeat(5000));
      const ref = (await upload(alice, conversationId, bytes, { name: 'range.pdf' })).body
        .attachment!;
      const part = await download(alice, conversationId, ref.id, '', { Range: 'bytes=100-199' });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
      expect(part.bytes.equals(bytes.subarray(100, 200))).toBe(true);
      const tail = await download(alice, conversationId, ref.id, '', { Range: 'bytes=-10' });
      expect(tail.bytes.equals(bytes.subarray(bytes.length - 10))).toBe(true);
      const beyond = await download(alice, conversationId, ref.id, '', {
        Range: `bytes=${bytes.length}-`,
      });
      expect(beyond.status).toBe(416);
      const etag = part.headers.get('etag') ?? '';
      const again = await download(alice, conversationId, ref.id, '', { 'If-None-Match': etag });
      expect(again.status).toBe(304);
    });

    it('returns the same attachment when an upload is retried with the same key', async () => {
      const key = uploadKey();
      const bytes = Buffer.from('%PDF-1.4\n% a tiny document\n');
      const first = await upload(alice, conversationId, bytes, { key, name: 'doc.pdf' });
      const again = await upload(alice, conversationId, bytes, { key, name: 'doc.pdf' });
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.body.attachment).toEqual(first.body.attachment);
      expect(first.body.attachment?.type).toBe('application/pdf');
    });

    it('refuses a message that references someone else’s upload, or alters a ref', async () => {
      const up = await upload(alice, conversationId, await photoWithGps());
      const ref = up.body.attachment!;
      const mallory = await bob.connect(server.wsUrl, doc);
      const closed = mallory.nextClose();
      sendWith(mallory, bob.user!.id, [ref]);
      expect(await closed).toBe(CloseCode.invalidUpdate);
      mallory.destroy();
      // Alice herself may not change a field (here: the size) either.
      const honest = await alice.connect(server.wsUrl, doc);
      const refused = honest.nextClose();
      sendWith(honest, alice.user!.id, [{ ...ref, size: ref.size + 1 }]);
      expect(await refused).toBe(CloseCode.invalidUpdate);
      honest.destroy();
      expect((await download(bob, conversationId, ref.id)).status).toBe(403);
    });

    it('delete for everyone removes the bytes and the thumbnail from the blob store', async () => {
      const voiceLike = Buffer.from(
        '1a45dfa3a34286810142f7810142f2810442f381084282847765626d4287810442858102',
        'hex',
      );
      // Other bytes than the photos above (those stay: their messages still reference them).
      const photo = (await upload(alice, conversationId, await photoWithGps('#2040c0'))).body
        .attachment!;
      const voice = (
        await upload(alice, conversationId, voiceLike, { kind: 'voice', durationMs: 3200 })
      ).body.attachment!;
      expect(voice).toMatchObject({ kind: 'voice', type: 'audio/webm', durationMs: 3200 });
      const device = await alice.connect(server.wsUrl, doc);
      const id = sendWith(device, alice.user!.id, [photo, voice], 'two things');
      await waitFor(() => device.allAcked(), 10_000, 'sent');
      await waitFor(
        async () => (await download(bob, conversationId, voice.id)).status === 200,
        10_000,
        'bob may download',
      );
      const row = await server.app.attachments.store.byId(photo.id);
      const hashes = [
        row!.sha256,
        row!.thumbSha256!,
        (await server.app.attachments.store.byId(voice.id))!.sha256,
      ];
      for (const h of hashes) expect(await server.blobs()).toContain(h);
      const kept = await server.blobs();

      const arr = device.messages;
      const index = arr.toArray().findIndex((m) => m.id === id);
      arr.delete(index, 1);
      await waitFor(() => device.allAcked(), 10_000, 'deleted');
      await waitFor(
        async () => {
          const left = await server.blobs();
          return hashes.every((h) => !left.includes(h));
        },
        10_000,
        'the blobs deleted',
      );
      // Every other blob is still there.
      expect(await server.blobs()).toEqual(kept.filter((h) => !hashes.includes(h)));
      expect(await server.app.attachments.store.byId(photo.id)).toBeNull();
      expect((await download(bob, conversationId, photo.id)).status).toBe(404);
      expect((await download(alice, conversationId, voice.id)).status).toBe(404);
      device.destroy();
    });
  });
}

describe('orphaned uploads', () => {
  for (const kind of ['sqlite', 'postgres'] as Deployment[]) {
    it(`are removed once older than the configured age (${kind})`, async () => {
      // Old enough to outlive the upload itself on a busy machine (the sweep also removes
      // temporary files older than the age: with 1 ms it once removed the upload in flight).
      const server = await startAttachmentServer(kind, {
        attachmentOrphanMs: 3000,
        attachmentSweepMs: 200,
      });
      const alice = new TestClient(server.origin);
      const bob = new TestClient(server.origin);
      try {
        await alice.register(`orphan-a-${kind}@example.com`, 'A');
        await bob.register(`orphan-b-${kind}@example.com`, 'B');
        const c = await alice.open(bob.user!.id);
        const up = await upload(alice, c.id, Buffer.from('never sent'), { name: 'note.txt' });
        expect(up.status).toBe(201);
        // What a crash mid-upload would leave behind.
        const leftover = join(server.dataDir, 'uploads-tmp', '1000-deadbeef');
        writeFileSync(leftover, 'half an upload');
        await waitFor(async () => (await server.blobs()).length === 0, 10_000, 'the sweep');
        await waitFor(() => !existsSync(leftover), 10_000, 'the temporary file removed');
        expect(await server.rows()).toBe(0);
        expect((await download(alice, c.id, up.body.attachment!.id)).status).toBe(404);
      } finally {
        await server.stop();
      }
    });
  }
});
