import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import type { z } from 'zod';
import { describe, fleetSchema } from './fleetSchema';
import type { FleetSpec } from './types';

/** One problem of a fleet file: the field's path (`clusters[0].nodePools[1].count`) and what is wrong. */
export interface FleetProblem {
  /** Where in the file, e.g. `clusters[0].nodePools[1].count`; `(top level)`, `(file)` or `(yaml)` otherwise. */
  field: string;
  /** What is wrong, e.g. `must be a number, got nothing`. */
  problem: string;
}

/** A fleet file that cannot be used; the message names the file and, for every problem, the field. */
export class FleetError extends Error {
  /** The field of the first problem. */
  readonly field: string;

  constructor(
    /** The fleet file's path, or what stands for it (`<fleet object>`). */
    readonly file: string,
    /** Every problem found, in the order of the file. */
    readonly problems: FleetProblem[],
  ) {
    super(problems.map(p => `${file}: ${p.field}: ${p.problem}`).join('\n'));
    this.name = 'FleetError';
    this.field = problems[0]?.field ?? '(top level)';
  }
}

/** zod's own issues, worded as a person editing the YAML file reads them. */
const fleetErrorMap: z.ZodErrorMap = (issue, ctx) => {
  const got = describe(ctx.data);
  const nonEmptyString = `must be a non-empty string, got ${got}`;
  switch (issue.code) {
    case 'invalid_type': {
      const expected: Record<string, string> = {
        number: `must be a number, got ${got}`,
        integer: `must be a whole number, got ${ctx.data}`,
        object: `must be a mapping, got ${got}`,
        array: `must be a list, got ${got}`,
        boolean: `must be true or false, got ${got}`,
      };
      // Anything else expects a string: a name, a quantity or one of a set of words.
      return { message: expected[issue.expected] ?? nonEmptyString };
    }
    case 'invalid_enum_value':
      return {
        message: issue.received ? `"${issue.received}" must be one of ${issue.options.join(', ')}` : nonEmptyString,
      };
    case 'invalid_union_discriminator': {
      const value = (ctx.data as Record<string, unknown> | undefined)?.[String(issue.path.at(-1))];
      return {
        message:
          typeof value === 'string' && value
            ? `"${value}" must be one of ${issue.options.join(', ')}`
            : `must be a non-empty string, got ${describe(value)}`,
      };
    }
    case 'too_small':
      if (issue.type === 'array') return { message: 'must list at least one entry' };
      if (issue.type === 'string') return { message: nonEmptyString };
      return { message: `must be at least ${issue.minimum}, got ${ctx.data}` };
    case 'too_big':
      return { message: `must be at most ${issue.maximum}, got ${ctx.data}` };
    default:
      return { message: ctx.defaultError };
  }
};

function fieldPath(path: Array<string | number>): string {
  const field = path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      return i === 0 ? key : `.${key}`;
    })
    .join('');
  return field || '(top level)';
}

function problemsOf(error: z.ZodError): FleetProblem[] {
  return error.issues.flatMap(issue =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map(key => ({
          field: fieldPath([...issue.path, key]),
          problem: `unknown field "${key}" (${issue.message})`,
        }))
      : [{ field: fieldPath(issue.path), problem: issue.message }],
  );
}

/** Checks an already parsed fleet document; `file` names it in errors. */
export function validateFleet(document: unknown, file = '<fleet>'): FleetSpec {
  const result = fleetSchema.safeParse(document, { errorMap: fleetErrorMap });
  if (!result.success) throw new FleetError(file, problemsOf(result.error));
  return result.data;
}

/** Reads and validates a fleet YAML file. */
export function loadFleetFile(path: string): FleetSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FleetError(path, [{ field: '(file)', problem: `cannot be read: ${(e as Error).message}` }]);
  }
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) {
    throw new FleetError(
      path,
      doc.errors.map(e => ({ field: '(yaml)', problem: e.message })),
    );
  }
  return validateFleet(doc.toJS(), path);
}
