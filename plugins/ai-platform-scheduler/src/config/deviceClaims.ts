import { z } from 'zod/v4';
import { fieldOf, list, problem, str, withoutNulls } from './fields';
import type { DeviceClassMapping } from './types';

/**
 * Dynamic Resource Allocation as Kueue counts it (pkg/dra): a pod's
 * ResourceClaimTemplates request devices per DeviceClass, and the
 * Configuration's `resources.deviceClassMappings` turns each DeviceClass into
 * a quota resource, one unit per device.
 */

/** Kueue's limit on the DeviceClasses of one mapping (config validation). */
const maxClassesPerMapping = 8;

/** Kueue Configuration `resources.deviceClassMappings`: each quota resource and the DeviceClasses it counts. */
export const deviceClassMappingsSchema = list(
  z.object(
    { name: str, deviceClassNames: z.array(str, { error: 'must be a list' }) },
    { error: 'must be a map of fields' },
  ),
).superRefine((mappings, ctx) => {
  const owner = new Map<string, string>();
  mappings.forEach((m, i) => {
    if (m.deviceClassNames.length === 0) problem(ctx, 'must name at least one DeviceClass', [i, 'deviceClassNames']);
    if (m.deviceClassNames.length > maxClassesPerMapping)
      problem(ctx, `must name at most ${maxClassesPerMapping} DeviceClasses`, [i, 'deviceClassNames']);
    m.deviceClassNames.forEach((dc, j) => {
      const other = owner.get(dc);
      if (other !== undefined && other !== m.name)
        problem(ctx, `DeviceClass ${dc} is already mapped to resource ${other}`, [i, 'deviceClassNames', j]);
      owner.set(dc, m.name);
    });
  });
});

const exactRequest = z
  .object({
    deviceClassName: str,
    allocationMode: z.string().optional(),
    count: z.number().int().nonnegative().optional(),
    adminAccess: z.boolean().optional(),
  })
  .passthrough();

const claimSpec = z.object({
  devices: z
    .object({
      requests: list(
        z.object({ name: z.string().optional(), exactly: exactRequest.optional(), firstAvailable: z.unknown() }),
      ),
    })
    .default({ requests: [] }),
});

/** A resource.k8s.io/v1 ResourceClaimTemplate: `spec.spec` is the claim each pod gets. */
const claimTemplateSchema = z.object({ spec: z.object({ spec: claimSpec }) });

/** The part of a pod spec that names its claims. */
export interface PodResourceClaims {
  /** The pod's `spec.resourceClaims`: each by template (counted) or by shared claim name (not). */
  resourceClaims?: Array<{ name?: string; resourceClaimTemplateName?: string; resourceClaimName?: string }>;
}

/**
 * Devices one pod requests per DeviceClass, from the ResourceClaimTemplates
 * its `resourceClaims` name (as Kueue's GetResourceRequestsForResourceClaimTemplates:
 * claims by ResourceClaimName are shared and not counted; admin-access requests
 * count nothing; FirstAvailable and AllocationMode All are refused). Throws an
 * error naming the field when a template is missing or cannot be counted, or
 * when the pod claims a shared ResourceClaim by name: Kueue's workload controller
 * makes such a workload inadmissible before counting anything.
 */
export function devicesPerPod(
  spec: PodResourceClaims,
  template: (name: string) => unknown | undefined,
): Record<string, number> {
  const out: Record<string, number> = {};
  (spec.resourceClaims ?? []).forEach((claim, i) => {
    const at = `resourceClaims[${i}]`;
    if (claim.resourceClaimName !== undefined)
      throw new Error(
        `${at}.resourceClaimName: a shared ResourceClaim (${claim.resourceClaimName}) cannot be counted as quota; ` +
          `claim devices through a ResourceClaimTemplate (Kueue: "KueueDRAIntegration feature does not support use of resource claims")`,
      );
    const name = claim.resourceClaimTemplateName;
    if (name === undefined) return;
    const found = template(name);
    if (found === undefined)
      throw new Error(`${at}.resourceClaimTemplateName: ResourceClaimTemplate ${name} not found`);
    const parsed = claimTemplateSchema.safeParse(withoutNulls(found));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${at}: ResourceClaimTemplate ${name}: ${fieldOf(issue.path)}: ${issue.message}`);
    }
    parsed.data.spec.spec.devices.requests.forEach((req, j) => {
      const field = `${at}: ResourceClaimTemplate ${name}: spec.spec.devices.requests[${j}]`;
      if (req.firstAvailable !== undefined)
        throw new Error(`${field}: FirstAvailable device selection is not supported`);
      const exactly = req.exactly;
      if (!exactly) throw new Error(`${field}: Exactly must be set if FirstAvailable is nil`);
      if (exactly.adminAccess) return;
      const mode = exactly.allocationMode || 'ExactCount'; // the API server defaults an empty mode
      if (mode === 'All') throw new Error(`${field}.exactly.allocationMode: AllocationMode 'All' is not supported`);
      if (mode !== 'ExactCount')
        throw new Error(`${field}.exactly.allocationMode: unsupported allocation mode: ${mode}`);
      out[exactly.deviceClassName] = (out[exactly.deviceClassName] ?? 0) + (exactly.count ?? 1);
    });
  });
  return out;
}

/** The quota resource a DeviceClass is counted as, or undefined when no mapping names it. */
export function resourceForDeviceClass(mappings: readonly DeviceClassMapping[], deviceClass: string) {
  return mappings.find(m => m.deviceClassNames.includes(deviceClass))?.name;
}
