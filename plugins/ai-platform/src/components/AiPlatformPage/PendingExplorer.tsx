import { useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Flex, SearchField, Text } from '@backstage/ui';
import type { WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { ReasonText } from '../common/ReasonText';
import { StateTag } from '../common/StateTag';
import { relativeTime } from '../common/format';
import { useSearchParam } from '../../hooks/useSearchParam';

const sortKeys = ['position', 'priority', 'gpus', 'eta', 'name'] as const;
type SortKey = (typeof sortKeys)[number];

const columns: Array<{ key: SortKey | null; label: string; width: string }> = [
  { key: 'name', label: 'Workload', width: '22%' },
  { key: null, label: 'Team / queue', width: '14%' },
  { key: null, label: 'State', width: '9%' },
  { key: 'gpus', label: 'GPUs', width: '6%' },
  { key: 'priority', label: 'Priority', width: '7%' },
  { key: 'position', label: 'Position', width: '7%' },
  { key: 'eta', label: 'Starts', width: '8%' },
  { key: null, label: 'Why it waits', width: '27%' },
];

const compare: Record<SortKey, (a: WorkloadSummary, b: WorkloadSummary) => number> = {
  position: (a, b) => (a.positionInClusterQueue ?? Infinity) - (b.positionInClusterQueue ?? Infinity),
  priority: (a, b) => b.priority - a.priority,
  gpus: (a, b) => b.gpus - a.gpus,
  eta: (a, b) => (a.eta ? Date.parse(a.eta) : Infinity) - (b.eta ? Date.parse(b.eta) : Infinity),
  name: (a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
};

const rowHeight = 44;

/**
 * Every pending workload: filter by text, cluster and reason, sort by any
 * column; the filters live in the URL (`?q=&cluster=&reason=&sort=`). Rows
 * are virtualized, so 10,000 workloads scroll smoothly.
 */
export function PendingExplorer({ workloads }: { workloads: WorkloadSummary[] }) {
  const [search, setSearch] = useSearchParam('q', '');
  const [cluster, setCluster] = useSearchParam('cluster', '');
  const [reason, setReason] = useSearchParam('reason', '');
  const [sort, setSort] = useSearchParam<SortKey>('sort', 'position', sortKeys);
  const clusters = useMemo(() => [...new Set(workloads.map(w => w.cluster))].sort(), [workloads]);
  const reasons = useMemo(
    () => [...new Set(workloads.map(w => w.reason?.code).filter(Boolean) as string[])].sort(),
    [workloads],
  );
  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return workloads
      .filter(w => !cluster || w.cluster === cluster)
      .filter(w => !reason || w.reason?.code === reason)
      .filter(
        w =>
          !needle ||
          [w.name, w.namespace, w.team, w.queue, w.clusterQueue].some(v => v?.toLowerCase().includes(needle)),
      )
      .sort((a, b) => compare[sort](a, b) || compare.name(a, b));
  }, [workloads, search, cluster, reason, sort]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 10,
    initialRect: { width: 1000, height: 480 },
  });

  const select = (label: string, value: string, options: string[], onChange: (v: string) => void) => (
    <label style={{ display: 'flex', flexDirection: 'column', fontSize: '0.85em' }}>
      {label}
      <select value={value} onChange={e => onChange(e.target.value)} style={{ padding: 6 }}>
        <option value="">All</option>
        {options.map(o => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <Flex direction="column" gap="3">
      <Flex gap="3" align="end">
        <SearchField label="Search" aria-label="Search pending workloads" value={search} onChange={setSearch} />
        {select('Cluster', cluster, clusters, setCluster)}
        {select('Reason', reason, reasons, setReason)}
        <Text variant="body-small" aria-live="polite">
          {rows.length} of {workloads.length} pending
        </Text>
      </Flex>
      <div role="table" aria-label="Pending workloads" aria-rowcount={rows.length + 1}>
        <div role="row" style={{ display: 'flex', fontWeight: 600, borderBottom: '1px solid #8884' }}>
          {columns.map(c => (
            <div
              key={c.label}
              role="columnheader"
              style={{ width: c.width, padding: 6 }}
              aria-sort={c.key === sort ? 'ascending' : undefined}
            >
              {c.key ? (
                <button
                  type="button"
                  onClick={() => setSort(c.key!)}
                  style={{ all: 'unset', cursor: 'pointer', textDecoration: c.key === sort ? 'underline' : 'none' }}
                >
                  {c.label}
                </button>
              ) : (
                c.label
              )}
            </div>
          ))}
        </div>
        <div ref={scroller} style={{ height: 480, overflow: 'auto' }} data-testid="pending-scroller">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map(item => {
              const w = rows[item.index];
              return (
                <div
                  key={`${w.cluster}/${w.namespace}/${w.kind}/${w.name}`}
                  role="row"
                  aria-rowindex={item.index + 2}
                  style={{
                    display: 'flex',
                    position: 'absolute',
                    top: item.start,
                    height: rowHeight,
                    width: '100%',
                    alignItems: 'center',
                    borderBottom: '1px solid #8882',
                    fontSize: '0.9em',
                  }}
                >
                  <div
                    role="cell"
                    style={{ width: columns[0].width, padding: 6, overflow: 'hidden', textOverflow: 'ellipsis' }}
                    title={`${w.cluster}/${w.namespace}/${w.name}`}
                  >
                    {w.namespace}/{w.name}
                  </div>
                  <div role="cell" style={{ width: columns[1].width, padding: 6 }}>
                    {w.team ?? '—'} / {w.queue ?? '—'}
                  </div>
                  <div role="cell" style={{ width: columns[2].width, padding: 6 }}>
                    <StateTag state={w.state} />
                  </div>
                  <div role="cell" style={{ width: columns[3].width, padding: 6 }}>
                    {w.gpus}
                  </div>
                  <div role="cell" style={{ width: columns[4].width, padding: 6 }}>
                    {w.priority}
                  </div>
                  <div role="cell" style={{ width: columns[5].width, padding: 6 }}>
                    {w.positionInClusterQueue ?? '—'}
                  </div>
                  <div
                    role="cell"
                    style={{ width: columns[6].width, padding: 6 }}
                    title={w.etaP90 ? `almost surely ${relativeTime(w.etaP90)}` : undefined}
                  >
                    {relativeTime(w.eta)}
                  </div>
                  <div
                    role="cell"
                    style={{ width: columns[7].width, padding: 6, overflow: 'hidden', maxHeight: rowHeight }}
                  >
                    <ReasonText reason={w.reason} />
                  </div>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </Flex>
  );
}
