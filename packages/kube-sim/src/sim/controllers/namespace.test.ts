import { MemoryStore } from '../../store/MemoryStore';
import { NamespaceController } from './namespace';

describe('NamespaceController', () => {
  it('deletes the contents of a deleted namespace, and only of that namespace', () => {
    const store = new MemoryStore();
    new NamespaceController({ store }).start();
    const namespaces = store.typeFor('v1', 'Namespace');
    const pods = store.typeFor('v1', 'Pod');
    const queues = store.typeFor('kueue.x-k8s.io/v1beta1', 'LocalQueue');
    for (const name of ['team-a', 'team-b']) {
      store.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      store.create(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: name } });
      store.create(queues, {
        apiVersion: `${queues.group}/v1beta1`,
        kind: 'LocalQueue',
        metadata: { name: 'q', namespace: name },
      });
    }
    store.delete(namespaces, undefined, 'team-a');
    expect(store.list(pods).map(p => p.metadata.namespace)).toEqual(['team-b']);
    expect(store.list(store.typeFor('kueue.x-k8s.io/v1beta2', 'LocalQueue')).map(q => q.metadata.namespace)).toEqual([
      'team-b',
    ]);
  });
});
