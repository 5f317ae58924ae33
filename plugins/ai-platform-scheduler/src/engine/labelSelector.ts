import { selectsLabels } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { LabelSelector } from '../config/types';

/** Whether a namespace's labels match a ClusterQueue's namespaceSelector; no selector matches nothing (Kueue). */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  return selector !== undefined && selectsLabels(selector, labels);
}
