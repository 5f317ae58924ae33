import { Controller, ControllerContext } from './controller';
import { CronJobController } from './cronJob';
import { DeploymentController } from './deployment';
import { GarbageCollector } from './garbageCollector';
import { InferenceServiceController } from './inferenceService';
import { JobController } from './job';
import { JobSetController } from './jobSet';
import { LeaderWorkerSetController } from './leaderWorkerSet';
import { NamespaceController } from './namespace';
import { PyTorchJobController } from './pyTorchJob';
import { ReplicaSetController } from './replicaSet';
import { RayClusterController } from './rayCluster';
import { RayJobController } from './rayJob';
import { SparkApplicationController } from './sparkApplication';
import { StatefulSetController } from './statefulSet';
import { TrainJobController } from './trainJob';
import { WorkflowController } from './workflow';

export { Controller, OwnerIndex } from './controller';
export type { ControllerContext } from './controller';
export { GarbageCollector } from './garbageCollector';
export { NamespaceController } from './namespace';

/** A controller as the simulation runs it. */
export type RunningController = Pick<Controller, 'start' | 'stop'>;

/** The garbage collector, the namespace controller and one controller per workload kind kube-sim simulates. */
export function createControllers(ctx: ControllerContext): RunningController[] {
  return [
    new GarbageCollector(ctx),
    new NamespaceController(ctx),
    new JobController(ctx),
    new CronJobController(ctx),
    new DeploymentController(ctx),
    new ReplicaSetController(ctx),
    new StatefulSetController(ctx),
    new JobSetController(ctx),
    new PyTorchJobController(ctx),
    new TrainJobController(ctx),
    new RayJobController(ctx),
    new RayClusterController(ctx),
    new LeaderWorkerSetController(ctx),
    new InferenceServiceController(ctx),
    new SparkApplicationController(ctx),
    new WorkflowController(ctx),
  ];
}
