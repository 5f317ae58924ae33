import type { ResourceFlavor, Topology } from '../config/types';
import { parseQuantity, selectsLabels } from '@ai-platform/backstage-plugin-ai-platform-common';

export interface NodeSpec {
  name: string;
  labels: Record<string, string>;
  /** Quantities as in a Node's status.allocatable ("8", "64Gi") or milli-unit numbers. */
  allocatable: Record<string, string | number>;
}

interface NodeState {
  name: string;
  labels: Record<string, string>;
  allocatable: Map<string, number>;
  used: Map<string, number>;
}

export interface Placement {
  level: string;
  domain: string;
  nodes: Record<string, number>;
}

/**
 * The node inventory for topology-aware admission: which nodes of a flavor
 * share a rack or an NVLink domain, and how many pods of a given shape each
 * still holds after the workloads already placed.
 */
export class NodeInventory {
  private readonly nodes: NodeState[];

  constructor(nodes: NodeSpec[]) {
    this.nodes = nodes.map(n => ({
      name: n.name,
      labels: n.labels ?? {},
      allocatable: new Map(
        Object.entries(n.allocatable ?? {}).map(([k, v]) => [k, typeof v === 'number' ? v : parseQuantity(v)]),
      ),
      used: new Map(),
    }));
  }

  get size() {
    return this.nodes.length;
  }

  private podsFitting(node: NodeState, requests: Record<string, number>): number {
    let fit = Infinity;
    for (const [resource, amount] of Object.entries(requests)) {
      if (amount <= 0) continue;
      const free = (node.allocatable.get(resource) ?? 0) - (node.used.get(resource) ?? 0);
      fit = Math.min(fit, Math.max(0, Math.floor(free / amount)));
    }
    return fit === Infinity ? 0 : fit;
  }

  /**
   * Finds the tightest domain at `level` (or, when only preferred, a wider
   * level, then any nodes) of the flavor's nodes that holds `count` pods.
   */
  place(
    flavor: ResourceFlavor,
    topology: Topology,
    request: { required?: string; preferred?: string },
    count: number,
    requests: Record<string, number>,
  ): Placement | undefined {
    const wanted = request.required ?? request.preferred;
    const levelIndex = wanted ? topology.levels.indexOf(wanted) : topology.levels.length - 1;
    if (levelIndex < 0) return undefined;
    const candidates = this.nodes.filter(n => selectsLabels({ matchLabels: flavor.nodeLabels }, n.labels));
    const lastLevel = request.required ? levelIndex : -1;
    for (let level = levelIndex; level >= lastLevel; level--) {
      const domains = new Map<string, NodeState[]>();
      for (const node of candidates) {
        const id =
          level < 0
            ? '*'
            : topology.levels
                .slice(0, level + 1)
                .map(l => node.labels[l] ?? '')
                .join('/');
        const list = domains.get(id) ?? [];
        list.push(node);
        domains.set(id, list);
      }
      let best: { domain: string; capacity: number; nodes: NodeState[] } | undefined;
      for (const [domain, nodes] of domains) {
        const capacity = nodes.reduce((sum, n) => sum + this.podsFitting(n, requests), 0);
        if (capacity < count) continue;
        if (!best || capacity < best.capacity || (capacity === best.capacity && domain < best.domain)) {
          best = { domain, capacity, nodes };
        }
      }
      if (best) {
        const placed: Record<string, number> = {};
        let left = count;
        const byRoom = best.nodes
          .map(n => ({ n, room: this.podsFitting(n, requests) }))
          .sort((a, b) => b.room - a.room || a.n.name.localeCompare(b.n.name));
        for (const { n, room } of byRoom) {
          if (left === 0) break;
          const take = Math.min(room, left);
          if (take > 0) placed[n.name] = take;
          left -= take;
        }
        return { level: level < 0 ? '*' : topology.levels[level], domain: best.domain, nodes: placed };
      }
    }
    return undefined;
  }

  /** Reserves (sign 1) or releases (sign -1) the nodes of a placement. */
  apply(placement: Placement, requests: Record<string, number>, sign: 1 | -1) {
    for (const [name, pods] of Object.entries(placement.nodes)) {
      const node = this.nodes.find(n => n.name === name);
      if (!node) continue;
      for (const [resource, amount] of Object.entries(requests)) {
        node.used.set(resource, (node.used.get(resource) ?? 0) + sign * amount * pods);
      }
    }
  }

  clone(): NodeInventory {
    const copy = Object.create(NodeInventory.prototype) as NodeInventory;
    (copy as any).nodes = this.nodes.map(n => ({ ...n, used: new Map(n.used) }));
    return copy;
  }
}
