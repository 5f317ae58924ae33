import { seededRandom } from '@ai-platform/backstage-plugin-ai-platform-common';
import { SimulationSpec } from '../fleet/types';
import { ObjectStore } from '../store/types';
import { SimClock } from './clock';
import { createControllers, OwnerIndex, RunningController } from './controllers';
import { DeviceAllocator } from './devices';
import { EventRecorder } from './events';
import { Kubelet } from './kubelet';
import { PodScheduler } from './scheduler';

/** Defaults of the simulated kubelet when the fleet file sets none. */
export const defaultSimulation: Required<SimulationSpec> = {
  failureRate: 0,
  defaultDuration: { distribution: 'lognormal', medianSeconds: 1800, sigma: 0.8 },
  startupSeconds: 10,
};

/** The control plane and nodes of one simulated cluster, acting on its store. */
export class ClusterSimulation {
  readonly events: EventRecorder;
  readonly devices: DeviceAllocator;
  readonly scheduler: PodScheduler;
  readonly kubelet: Kubelet;
  readonly owners: OwnerIndex;
  readonly controllers: RunningController[];

  constructor(
    readonly store: ObjectStore,
    readonly clock: SimClock,
    options: { simulation?: SimulationSpec; seed?: number; maxEvents?: number } = {},
  ) {
    const simulation = { ...defaultSimulation, ...options.simulation };
    this.events = new EventRecorder(store, clock, options.maxEvents);
    this.devices = new DeviceAllocator(() => clock.now());
    this.scheduler = new PodScheduler(store, clock, this.events);
    this.kubelet = new Kubelet(store, clock, this.events, this.devices, simulation);
    this.owners = new OwnerIndex(store);
    this.controllers = createControllers({
      store,
      clock,
      events: this.events,
      random: seededRandom(options.seed ?? Date.now()),
      children: this.owners,
    });
  }

  start(): void {
    this.owners.start();
    for (const c of this.controllers) c.start();
    this.scheduler.start();
    this.kubelet.start();
  }

  stop(): void {
    this.kubelet.stop();
    this.scheduler.stop();
    for (const c of this.controllers) c.stop();
    this.owners.stop();
  }
}
