import { Controller, ControllerContext } from './controller';
import { DeploymentController } from './deployment';
import { InferenceServiceController } from './inferenceService';
import { JobController } from './job';
import { JobSetController } from './jobSet';
import { LeaderWorkerSetController } from './leaderWorkerSet';
import { PyTorchJobController } from './pyTorchJob';
import { ReplicaSetController } from './replicaSet';
import { RayJobController } from './rayJob';
import { SparkApplicationController } from './sparkApplication';
import { StatefulSetController } from './statefulSet';
import { TrainJobController } from './trainJob';

export { Controller, OwnerIndex } from './controller';
export type { ControllerContext } from './controller';

/** One controller per workload kind kube-sim simulates. */
export function createControllers(ctx: ControllerContext): Controller[] {
  return [
    new JobController(ctx),
    new DeploymentController(ctx),
    new ReplicaSetController(ctx),
    new StatefulSetController(ctx),
    new JobSetController(ctx),
    new PyTorchJobController(ctx),
    new TrainJobController(ctx),
    new RayJobController(ctx),
    new LeaderWorkerSetController(ctx),
    new InferenceServiceController(ctx),
    new SparkApplicationController(ctx),
  ];
}
