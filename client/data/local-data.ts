/**
 * Deleting one user's data from this device (on sign-out, or when someone else signs in):
 * every conversation database `parley:<userId>:*` in IndexedDB, every localStorage key
 * under that prefix (the cached conversation list, drafts, background-sync marks) and any
 * Cache Storage cache other than the service worker's precache of the app shell (the
 * service worker caches no user data, but a cache left by an older version might).
 * Close the user's conversations first: an open connection blocks the deletion.
 */

/** The service worker's precache (static app files, the same for every user). */
const isAppShellCache = (name: string): boolean => name.startsWith('workbox-precache');

export async function deleteLocalData(
  userId: string,
  env: {
    indexedDB?: IDBFactory | null;
    storage?: Storage | null;
    docNames?: Iterable<string>;
    caches?: CacheStorage | null;
  } = {},
): Promise<void> {
  const cacheStorage =
    env.caches !== undefined ? env.caches : typeof caches === 'undefined' ? null : caches;
  if (cacheStorage) {
    try {
      const names = await cacheStorage.keys();
      await Promise.all(
        names.filter((n) => !isAppShellCache(n)).map((n) => cacheStorage.delete(n)),
      );
    } catch {
      // Cache Storage unavailable (insecure context): there is nothing in it.
    }
  }
  const prefix = `parley:${userId}:`;
  const storage =
    env.storage !== undefined
      ? env.storage
      : typeof localStorage === 'undefined'
        ? null
        : localStorage;
  if (storage) {
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key?.startsWith(prefix)) keys.push(key);
    }
    for (const key of keys) storage.removeItem(key);
  }
  const idb =
    env.indexedDB !== undefined
      ? env.indexedDB
      : typeof indexedDB === 'undefined'
        ? null
        : indexedDB;
  if (!idb) return;
  const names = new Set<string>();
  for (const doc of env.docNames ?? []) names.add(`${prefix}${doc}`);
  if (typeof idb.databases === 'function') {
    for (const db of await idb.databases()) if (db.name?.startsWith(prefix)) names.add(db.name);
  }
  await Promise.all([...names].map((name) => deleteDatabase(idb, name)));
}

/**
 * Resolves when the database is gone, or when another tab still holds it open: the
 * deletion then completes as soon as that tab lets go, and sign-out need not wait.
 */
function deleteDatabase(idb: IDBFactory, name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = idb.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    request.onblocked = () => resolve();
  });
}
