import { Select } from '@backstage/ui';

const all = '__all__';

/** Picks one cluster or all of them; '' means all. */
export function ClusterFilter(props: { clusters: string[]; value: string; onChange: (cluster: string) => void }) {
  if (props.clusters.length < 2) return null;
  return (
    <div style={{ maxWidth: 240 }}>
      <Select
        label="Cluster"
        selectedKey={props.value || all}
        onSelectionChange={key => props.onChange(key === all || key === null ? '' : String(key))}
        options={[{ value: all, label: 'All clusters' }, ...props.clusters.map(c => ({ value: c, label: c }))]}
      />
    </div>
  );
}
