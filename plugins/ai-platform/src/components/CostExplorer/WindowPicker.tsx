import { ToggleButton, ToggleButtonGroup } from '@backstage/ui';

/** The cost windows the explorers offer. */
export const costWindows = ['7d', '30d', '90d'] as const;
export type CostWindow = (typeof costWindows)[number];

const labels: Record<CostWindow, string> = { '7d': '7 days', '30d': '30 days', '90d': '90 days' };

/** Picks the window a cost view covers. */
export function WindowPicker({ value, onChange }: { value: CostWindow; onChange: (window: CostWindow) => void }) {
  return (
    <ToggleButtonGroup
      aria-label="Window"
      selectionMode="single"
      disallowEmptySelection
      selectedKeys={[value]}
      onSelectionChange={keys => {
        const [key] = [...keys];
        if (key) onChange(key as CostWindow);
      }}
    >
      {costWindows.map(w => (
        <ToggleButton key={w} id={w}>
          {labels[w]}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
