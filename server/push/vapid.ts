/** The deployment's VAPID keys: from the environment, or generated once and kept in the database. */
import webpush from 'web-push';
import type { Config } from '../config';
import type { PushStore, VapidKeys } from './push-store';

export async function loadVapidKeys(config: Config['push'], store: PushStore): Promise<VapidKeys> {
  if (config.keys) return config.keys;
  // Every process generates a pair; the first one stored wins and everyone uses it.
  return await store.vapidKeys(webpush.generateVAPIDKeys());
}
