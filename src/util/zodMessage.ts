import type { z } from 'zod';
import { closest } from './suggest.js';

/**
 * One readable line for a zod issue: the key path, what is wrong, the valid choices, and a
 * "did you mean" for a mistyped key (checked against `knownKeys`, the keys of the schema).
 */
export function formatZodIssue(issue: z.core.$ZodIssue, knownKeys: readonly string[] = []): string {
  const path = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map((k) => {
        const near = closest(k, knownKeys);
        return `unknown key '${k}' at ${path}${near ? ` (did you mean '${near}'?)` : ''}; valid keys: ${knownKeys.join(', ')}`;
      })
      .join('; ');
  }
  if (issue.code === 'invalid_value' && 'values' in issue) {
    return `key '${path}': ${issue.message}; valid choices: ${(issue.values as unknown[]).map(String).join(', ')}`;
  }
  return `key '${path}': ${issue.message}`;
}
