import { createHash } from 'node:crypto';

const maxLength = 63;
const hashLength = 8;

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, hashLength);
}

function sanitize(part: string): string {
  return part
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A catalog entity name (at most 63 characters of [a-z0-9-]) for the given
 * parts, joined by `--`. When the parts had to be shortened or changed, a hash
 * of the original parts is appended, so two different objects never share a
 * name and the same object always gets the same one.
 */
export function entityNameFor(...parts: string[]): string {
  const cleaned = parts.map(sanitize).filter(part => part.length > 0);
  const joined = cleaned.join('--');
  const lossless = cleaned.length === parts.length && cleaned.every((part, i) => part === parts[i]);
  if (lossless && joined.length <= maxLength) {
    return joined;
  }
  const suffix = shortHash(parts.join('/'));
  const head = joined.slice(0, maxLength - hashLength - 1).replace(/-+$/, '');
  return head ? `${head}-${suffix}` : suffix;
}
