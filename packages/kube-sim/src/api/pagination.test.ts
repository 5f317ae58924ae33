import type { KubeObject } from '../store/types';
import { ListPager } from './pagination';

const obj = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
});

describe('ListPager', () => {
  it('resumes after the last name served once its snapshot has expired', () => {
    let objects = ['c', 'a', 'b', 'd'].map(obj);
    const current = () => ({ items: objects, resourceVersion: '7' });
    const pager = new ListPager(-1);
    const first = pager.page('q', 2, null, current);
    expect(first.items.map(o => o.metadata.name)).toEqual(['a', 'b']);
    objects = ['a', 'b', 'bb', 'd', 'e'].map(obj);
    const second = pager.page('q', 2, first.continue!, current);
    expect(second.items.map(o => o.metadata.name)).toEqual(['bb', 'd']);
    expect(second.resourceVersion).toBe('7');
    expect(second.remainingItemCount).toBe(1);
  });

  it('does not serve one query from the snapshot of another', () => {
    const pager = new ListPager();
    const first = pager.page('pods|team-a', 1, null, () => ({
      items: [obj('a'), obj('b')],
      resourceVersion: '1',
    }));
    const other = pager.page('pods|team-b', 1, first.continue!, () => ({
      items: [obj('x'), obj('y')],
      resourceVersion: '2',
    }));
    expect(other.items.map(o => o.metadata.name)).toEqual(['x']);
  });

  it('returns an unpaged list as the store gave it', () => {
    const items = [obj('b'), obj('a')];
    expect(
      new ListPager().page('q', 0, null, () => ({
        items,
        resourceVersion: '3',
      })),
    ).toEqual({ items, resourceVersion: '3' });
  });
});
