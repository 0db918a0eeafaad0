/**
 * A data service whose module loads on first use, outside the first load's script
 * (docs/benchmarks.md, "Issue #12's regression"). The snapshot is the service once loaded
 * (null before), so a component can follow it like any store. The service worker precaches
 * every chunk, so loading works offline; a failed load is tried again on the next `load()`.
 */
import { SnapshotStore } from './store';

export class LazyService<T> extends SnapshotStore<T | null> {
  private loading: Promise<T> | null = null;

  /** `create` imports the module and builds the service; it is called once per success. */
  constructor(private readonly create: () => Promise<T>) {
    super(null);
  }

  /** The service when loaded, else null. */
  get instance(): T | null {
    return this.snapshot;
  }

  /** Load the service (once) and resolve with it; rejects when the module did not load. */
  load(): Promise<T> {
    this.loading ??= this.create().then(
      (service) => {
        this.set(service);
        return service;
      },
      (e: unknown) => {
        this.loading = null; // the next call tries again
        throw e;
      },
    );
    return this.loading;
  }
}
