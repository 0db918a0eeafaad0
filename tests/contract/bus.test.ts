import { runBusContract } from './bus.contract';
import { LocalHub, LocalUpdateBus } from '../../server/bus/local-update-bus';

runBusContract('local (in-process)', () => {
  const hub = new LocalHub();
  return [new LocalUpdateBus(hub), new LocalUpdateBus(hub)];
});
