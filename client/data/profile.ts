/**
 * Your profile: display name, "about" line and photo. Each change goes to the server (the
 * authority on limits, cropping and metadata) and the answer becomes the signed-in user
 * everywhere in the app (header, settings). Other devices and the people who see you hear of
 * it through the event stream.
 */
import type { User } from '../../shared/api';
import { MAX_PHOTO_BYTES } from '../../shared/profile';
import { ApiError, type Api } from './api';
import type { Session } from './session';

/** What a profile change answers: the new you, or a message fit to show. */
export type ProfileResult = { ok: true; user: User } | { ok: false; message: string };

const MB = 1024 * 1024;

export class Profile {
  constructor(
    private readonly api: Api,
    private readonly session: Session,
  ) {}

  save(input: { displayName: string; about: string }): Promise<ProfileResult> {
    return this.run(() => this.api.updateProfile(input));
  }

  /** Upload a new photo; refused here already when it is no image or too large. */
  setPhoto(file: Blob): Promise<ProfileResult> {
    if (file.type && !file.type.startsWith('image/'))
      return Promise.resolve({ ok: false, message: 'Choose a photo (JPEG, PNG, WebP or GIF).' });
    if (file.size > MAX_PHOTO_BYTES)
      return Promise.resolve({
        ok: false,
        message: `This photo is too large (at most ${MAX_PHOTO_BYTES / MB} MB).`,
      });
    return this.run(() => this.api.uploadProfilePhoto(file));
  }

  removePhoto(): Promise<ProfileResult> {
    return this.run(() => this.api.removeProfilePhoto());
  }

  /** Someone (this user on another device) changed the profile: fetch who we are now. */
  async reload(): Promise<void> {
    try {
      this.session.updateUser(await this.api.me());
    } catch {
      // Offline or signed out: the next start or change fetches it again.
    }
  }

  private async run(change: () => Promise<User>): Promise<ProfileResult> {
    try {
      const user = await change();
      this.session.updateUser(user);
      return { ok: true, user };
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthenticated') this.session.expire();
      return {
        ok: false,
        message: e instanceof ApiError ? e.message : 'Something went wrong, try again.',
      };
    }
  }
}
