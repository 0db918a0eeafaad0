/**
 * Profiles through the real server, in both deployments (SQLite file; PostgreSQL): name and
 * "about" changes with their limits, the photo (type from the bytes, metadata gone, cropped
 * square, size limit, removal), who may change and see what, and the live refresh of the
 * other person's list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { ConversationSummary, DirectoryUser, User } from '../../shared/api';
import { MAX_ABOUT_CHARS, MAX_PHOTO_BYTES, photoUrl } from '../../shared/profile';
import { TestClient, openEvents, waitFor } from '../helpers/client';
import {
  photoWithGps,
  startAttachmentServer,
  type AttachmentServer,
  type Deployment,
} from './attachments-fixture';

type PhotoAnswer = { user?: User; error?: { code: string; message: string } };

async function putPhoto(
  client: TestClient,
  bytes: Uint8Array,
  type = 'image/jpeg',
): Promise<{ status: number; body: PhotoAnswer }> {
  const res = await fetch(`${client.origin}/api/profile/photo`, {
    method: 'PUT',
    headers: {
      'Content-Type': type,
      Origin: client.appOrigin,
      ...(client.cookie ? { Cookie: client.cookie } : {}),
    },
    body: new Uint8Array(bytes),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as PhotoAnswer) : {} };
}

async function getPhoto(client: TestClient, path: string) {
  const res = await fetch(`${client.origin}${path}`, {
    headers: client.cookie ? { Cookie: client.cookie } : {},
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

for (const kind of ['sqlite', 'postgres'] as Deployment[]) {
  describe(`profile (${kind})`, () => {
    let server: AttachmentServer;
    let alice: TestClient;
    let bob: TestClient;
    let carol: TestClient;

    beforeAll(async () => {
      server = await startAttachmentServer(kind);
      alice = new TestClient(server.origin);
      bob = new TestClient(server.origin);
      carol = new TestClient(server.origin);
      await alice.register(`alice-p-${kind}@example.com`, 'Alice');
      await bob.register(`bob-p-${kind}@example.com`, 'Bob');
      await carol.register(`carol-p-${kind}@example.com`, 'Carol');
      await bob.open(alice.user!.id);
    });
    afterAll(async () => {
      await server.stop();
    });

    it('changes the name and about line, and the other person sees them at once', async () => {
      const events = await openEvents(bob);
      try {
        const r = await alice.request<{ user: User }>('PUT', '/api/profile', {
          displayName: '  Alice   Liddell ',
          about: 'Down the \u202erabbit hole',
        });
        expect(r.status).toBe(200);
        expect(r.body.user).toMatchObject({
          id: alice.user!.id,
          displayName: 'Alice Liddell',
          about: 'Down the rabbit hole',
          avatar: null,
        });
        expect((await alice.request<{ user: User }>('GET', '/api/me')).body.user.about).toBe(
          'Down the rabbit hole',
        );
        // Bob's open list hears it (the conversation's summary is pushed again).
        await waitFor(
          () =>
            events.events.some(
              (e) =>
                e.type === 'conversation' &&
                (e.conversation as ConversationSummary).peer.displayName === 'Alice Liddell',
            ),
          5000,
          "Bob's list told of the new name",
        );
        const list = await bob.request<{ conversations: ConversationSummary[] }>(
          'GET',
          '/api/conversations',
        );
        expect(list.body.conversations[0]?.peer).toMatchObject({
          displayName: 'Alice Liddell',
          about: 'Down the rabbit hole',
        });
        const found = await carol.request<{ users: DirectoryUser[] }>(
          'GET',
          '/api/users?q=liddell',
        );
        expect(found.body.users.map((u) => u.displayName)).toEqual(['Alice Liddell']);
        expect(found.body.users[0]?.about).toBe('Down the rabbit hole');
      } finally {
        events.close();
      }
    });

    it('refuses names and about lines over their limits, and changes nothing', async () => {
      const long = await alice.request<{ error: { message: string } }>('PUT', '/api/profile', {
        displayName: 'x'.repeat(61),
        about: '',
      });
      expect(long.status).toBe(400);
      expect(long.body.error.message).toBe('Display name must be at most 60 characters.');
      const about = await alice.request<{ error: { message: string } }>('PUT', '/api/profile', {
        displayName: 'Alice',
        about: 'y'.repeat(MAX_ABOUT_CHARS + 1),
      });
      expect(about.status).toBe(400);
      expect(about.body.error.message).toBe(`About must be at most ${MAX_ABOUT_CHARS} characters.`);
      const empty = await alice.request('PUT', '/api/profile', { displayName: '  ', about: '' });
      expect(empty.status).toBe(400);
      const me = await alice.request<{ user: User }>('GET', '/api/me');
      expect(me.body.user.displayName).toBe('Alice Liddell');
    });

    it("lets nobody change someone else's profile", async () => {
      const r = await carol.request<{ error: { message: string } }>('PUT', '/api/profile', {
        displayName: 'Hacked',
        about: 'owned',
        userId: alice.user!.id,
      });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toBe('Only displayName and about can be changed here.');
      // Carol's own change is only hers.
      const own = await carol.request<{ user: User }>('PUT', '/api/profile', {
        displayName: 'Carol C',
        about: '',
      });
      expect(own.body.user.id).toBe(carol.user!.id);
      const me = await alice.request<{ user: User }>('GET', '/api/me');
      expect(me.body.user.displayName).toBe('Alice Liddell');
    });

    it('refuses the unauthenticated', async () => {
      const anon = new TestClient(server.origin);
      expect(
        (await anon.request('PUT', '/api/profile', { displayName: 'X', about: '' })).status,
      ).toBe(401);
      expect((await putPhoto(anon, await photoWithGps())).status).toBe(401);
      expect((await anon.request('DELETE', '/api/profile/photo')).status).toBe(401);
      expect((await getPhoto(anon, photoUrl(alice.user!.id, 'x'))).status).toBe(401);
    });

    it('stores a photo as metadata-free centred squares, served to others with a versioned URL', async () => {
      const original = await photoWithGps('#2060c0');
      expect((await sharp(original).metadata()).exif).toBeDefined();
      const r = await putPhoto(alice, original, 'application/octet-stream');
      expect(r.status).toBe(200);
      const version = r.body.user!.avatar!;
      expect(version).toMatch(/^[A-Za-z0-9_-]{16}$/);

      for (const [size, px] of [
        ['large', 256],
        ['small', 96],
      ] as const) {
        const got = await getPhoto(bob, photoUrl(alice.user!.id, version, size));
        expect(got.status).toBe(200);
        expect(got.headers.get('content-type')).toBe('image/webp');
        expect(got.headers.get('x-content-type-options')).toBe('nosniff');
        expect(got.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
        const meta = await sharp(got.bytes).metadata();
        expect([meta.format, meta.width, meta.height]).toEqual(['webp', px, px]);
        expect(meta.exif).toBeUndefined();
        expect(meta.xmp).toBeUndefined();
        expect(got.bytes.includes(Buffer.from('SpyCam'))).toBe(false);
      }
      // Bob's list carries the version.
      const list = await bob.request<{ conversations: ConversationSummary[] }>(
        'GET',
        '/api/conversations',
      );
      expect(list.body.conversations[0]?.peer.avatar).toBe(version);
    });

    it('refuses a non-image renamed .jpg and an oversized upload, keeping the photo', async () => {
      const before = (await alice.request<{ user: User }>('GET', '/api/me')).body.user.avatar;
      const fake = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(2000, 0x41)]);
      const r = await putPhoto(alice, fake, 'image/jpeg');
      expect(r.status).toBe(400);
      expect(r.body.error?.message).toBe(
        'Choose a photo (JPEG, PNG, WebP or GIF) for your profile.',
      );
      // JPEG magic bytes that do not decode.
      const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 7)]);
      expect((await putPhoto(alice, broken)).status).toBe(400);
      const big = Buffer.concat([await photoWithGps(), Buffer.alloc(MAX_PHOTO_BYTES, 1)]);
      const tooBig = await putPhoto(alice, big);
      expect(tooBig.status).toBe(413);
      expect(tooBig.body.error?.message).toBe('The photo is too large (at most 10 MB).');
      expect((await alice.request<{ user: User }>('GET', '/api/me')).body.user.avatar).toBe(before);
    });

    it('hides the photo from someone the person blocked', async () => {
      const version = (await alice.request<{ user: User }>('GET', '/api/me')).body.user.avatar!;
      expect((await getPhoto(carol, photoUrl(alice.user!.id, version))).status).toBe(200);
      expect((await alice.request('POST', `/api/blocks/${carol.user!.id}`)).status).toBeLessThan(
        300,
      );
      expect((await getPhoto(carol, photoUrl(alice.user!.id, version))).status).toBe(404);
      await alice.request('DELETE', `/api/blocks/${carol.user!.id}`);
    });

    it('removes the photo: initials again, and the old URL finds nothing', async () => {
      const version = (await alice.request<{ user: User }>('GET', '/api/me')).body.user.avatar!;
      const r = await alice.request<{ user: User }>('DELETE', '/api/profile/photo');
      expect(r.status).toBe(200);
      expect(r.body.user.avatar).toBeNull();
      expect((await getPhoto(bob, photoUrl(alice.user!.id, version))).status).toBe(404);
      const list = await bob.request<{ conversations: ConversationSummary[] }>(
        'GET',
        '/api/conversations',
      );
      expect(list.body.conversations[0]?.peer.avatar).toBeNull();
    });

    it('deleting an account removes its photo and about line', async () => {
      const dana = new TestClient(server.origin);
      await dana.register(`dana-p-${kind}@example.com`, 'Dana');
      await dana.request('PUT', '/api/profile', { displayName: 'Dana', about: 'gone soon' });
      const version = (await putPhoto(dana, await photoWithGps())).body.user!.avatar!;
      expect((await getPhoto(bob, photoUrl(dana.user!.id, version))).status).toBe(200);
      expect(await server.app.storage.admin.deleteUser(dana.user!.id, Date.now())).toBe(true);
      expect((await getPhoto(bob, photoUrl(dana.user!.id, version))).status).toBe(404);
      const row = await server.app.storage.users.byId(dana.user!.id);
      expect([row?.about, row?.avatar]).toEqual(['', null]);
    });
  });
}
