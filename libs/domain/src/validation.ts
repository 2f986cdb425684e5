import { type z } from 'zod';
import { DomainError, type FieldIssue } from './errors';

/** `['lines', 1, 'quantity']` → `lines[1].quantity`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const name = String(key);
    return out === '' ? name : `${out}.${name}`;
  }, '');
}

/** zod's issues as the contract's `details`, one entry per field (an unknown key is its own path). */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: 'is not a known field',
      }));
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return [{ path: formatPath(issue.path), message: 'is required' }];
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}

/** Parses untrusted input with an operation's schema, or throws VALIDATION_FAILED with every issue. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {}, { reportInput: true });
  if (!result.success) {
    throw DomainError.validation(toFieldIssues(result.error));
  }
  return result.data;
}
