import type { WorkloadState } from '@ai-platform/backstage-plugin-ai-platform-common';

const colors: Record<WorkloadState, string> = {
  Pending: '#8a5100',
  Admitted: '#1565c0',
  Running: '#1b5e20',
  Preempted: '#c62828',
  Succeeded: '#1b5e20',
  Failed: '#c62828',
  Cancelled: '#616161',
};

/** A workload's state as a coloured label (tones of at least 4.5:1 contrast on white) (the text carries the meaning; colour only helps). */
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
