/**
 * Your profile (display name, "about" line, photo) and everyone's photos. Only the signed-in
 * user's own profile can be changed: no route takes someone else's id. Photos are served to
 * signed-in people who may see the person (not to those they blocked), cacheable for good
 * under a versioned URL, never sniffed.
 */
import express, { Router } from 'express';
import { z } from 'zod';
import { MAX_PHOTO_BYTES } from '../../shared/profile';
import { USER_ID } from '../../shared/protocol';
import { AppError } from '../errors';
import type { Sessions } from '../auth/session';
import type { UserStore } from '../store/user-store';
import type { People } from '../people';
import { makePhoto } from '../profile/photo';
import { publicUser } from './routes-auth';
import { locals, requireUser } from './middleware';
import { parse, photoQuery, profileBody } from './schemas';

export interface ProfileDeps {
  sessions: Sessions;
  users: UserStore;
  people: People;
  /** Tell every process that `userId`'s profile changed (their lists and headers refresh). */
  changed: (userId: string) => void;
}

const MAX_PHOTO_MB = MAX_PHOTO_BYTES / (1024 * 1024);
const readPhoto = express.raw({ type: () => true, limit: MAX_PHOTO_BYTES });
const noPhoto = { code: 'not-found', message: 'No such photo.' } as const;
const photoParams = z.object({ userId: z.string().regex(USER_ID) });

export function profileRouter(deps: ProfileDeps): Router {
  const r = Router();
  const { users } = deps;
  r.use(['/profile', '/users/:userId/photo'], requireUser(deps.sessions));

  const fresh = async (userId: string) => {
    const u = await users.byId(userId);
    if (!u) throw new AppError('unauthenticated', 'Sign in again.');
    return publicUser(u);
  };

  /** Change your display name and "about" line. */
  r.put('/profile', async (req, res) => {
    const { user } = locals(res);
    const b = parse(profileBody, req.body);
    await users.setProfile(user.id, b.displayName, b.about);
    deps.changed(user.id);
    res.json({ user: await fresh(user.id) });
  });

  /** A new profile photo: the body is the image's bytes (any Content-Type; the bytes decide). */
  r.put(
    '/profile/photo',
    (req, res, next) => {
      readPhoto(req, res, (err?: unknown) => {
        const e = err as { type?: string } | undefined;
        if (e?.type === 'entity.too.large')
          next(new AppError('too-large', `The photo is too large (at most ${MAX_PHOTO_MB} MB).`));
        else next(err);
      });
    },
    async (req, res) => {
      const { user } = locals(res);
      const body: unknown = req.body;
      if (!(body instanceof Buffer) || body.length === 0)
        throw new AppError('invalid-input', 'Send the photo as the request body.');
      await users.setPhoto(user.id, await makePhoto(body));
      deps.changed(user.id);
      res.json({ user: await fresh(user.id) });
    },
  );

  /** Remove your photo: your initials are shown again. */
  r.delete('/profile/photo', async (_req, res) => {
    const { user } = locals(res);
    await users.setPhoto(user.id, null);
    deps.changed(user.id);
    res.json({ user: await fresh(user.id) });
  });

  r.get('/users/:userId/photo', async (req, res) => {
    const { user } = locals(res);
    const { userId } = parse(photoParams, req.params, noPhoto);
    const { v, size } = parse(photoQuery, req.query);
    if (userId !== user.id && (await deps.people.store.hasBlocked(userId, user.id)))
      throw new AppError(noPhoto.code, noPhoto.message);
    const photo = await users.photo(userId, size);
    if (!photo) throw new AppError(noPhoto.code, noPhoto.message);
    const etag = `"${photo.version}-${size}"`;
    res.setHeader('Content-Type', 'image/webp');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Content-Disposition', 'inline');
    // The asked-for version is the stored one: that URL never changes. An old URL gets the
    // current photo, revalidated each time.
    res.setHeader(
      'Cache-Control',
      v === photo.version ? 'private, max-age=31536000, immutable' : 'private, no-cache',
    );
    res.setHeader('ETag', etag);
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    res.end(Buffer.from(photo.bytes.buffer, photo.bytes.byteOffset, photo.bytes.byteLength));
  });

  return r;
}
