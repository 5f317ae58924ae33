/** Appends `value` to the list under `key`, creating it (in place: no copying, so grouping n items stays O(n)). */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
