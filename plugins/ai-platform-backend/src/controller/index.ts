export { createAdmissionController } from './createAdmissionController';
export type { AdmissionController, AdmissionControllerOptions } from './createAdmissionController';
export { AdmissionService } from './AdmissionService';
export { ClusterController } from './ClusterController';
export { defaultLeaseTiming, leaseName, leaseNamespace } from './LeaderLease';
export type { LeaseTiming } from './LeaderLease';
