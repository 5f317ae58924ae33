import type { ZodType } from 'zod/v4';
import { InputError } from '@backstage/errors';

/** Parses input with a zod schema; on failure an InputError naming each bad field. */
export function parseInput<T>(schema: ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map(issue => {
    const field = issue.path.length ? issue.path.map(String).join('.') : '(whole value)';
    return `${field}: ${issue.message}`;
  });
  throw new InputError(`Invalid ${where}: ${problems.join('; ')}`);
}
