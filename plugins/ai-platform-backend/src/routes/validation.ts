import type { ZodType, ZodTypeDef } from 'zod';
import { InputError } from '@backstage/errors';

/** Parses input with a zod schema; on failure an InputError naming each bad field. */
export function parseInput<T>(schema: ZodType<T, ZodTypeDef, unknown>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map(issue => {
    const field = issue.path.length ? issue.path.join('.') : '(whole value)';
    return `${field}: ${issue.message}`;
  });
  throw new InputError(`Invalid ${where}: ${problems.join('; ')}`);
}
