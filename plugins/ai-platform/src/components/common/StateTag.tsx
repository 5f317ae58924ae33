import type { WorkloadState } from '@ai-platform/backstage-plugin-ai-platform-common';

const colors: Record<WorkloadState, string> = {
  Pending: '#b26a00',
  Admitted: '#1565c0',
  Running: '#2e7d32',
  Preempted: '#c62828',
  Succeeded: '#2e7d32',
  Failed: '#c62828',
  Cancelled: '#616161',
};

/** A workload's state as a coloured label (the text carries the meaning; colour only helps). */
export function StateTag({ state }: { state: WorkloadState }) {
  return (
    <span
      style={{
        border: `1px solid ${colors[state]}`,
        color: colors[state],
        borderRadius: 12,
        padding: '1px 8px',
        fontSize: '0.8em',
        whiteSpace: 'nowrap',
      }}
    >
      {state}
    </span>
  );
}
