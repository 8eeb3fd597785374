import { ZeroshiftError } from '../errors.js';

/** CLIP's one-template default, when neither a prompt set nor --template is given. */
export const DEFAULT_TEMPLATE = 'a photo of a {}.';

/** Placeholders a template may use for the class name: CLIP's `{}` and CLIP_benchmark's `{c}`. */
const PLACEHOLDERS = ['{}', '{c}'] as const;

export function hasPlaceholder(template: string): boolean {
  return PLACEHOLDERS.some((p) => template.includes(p));
}

/** `template` with every `{}` and `{c}` replaced by `className` (a literal: no `$` patterns). */
export function fillTemplate(template: string, className: string): string {
  let out = template;
  for (const p of PLACEHOLDERS) out = out.split(p).join(className);
  return out;
}

/**
 * Throws a CONFIG error naming `where` (a file or set id) when the list is empty or a
 * template has no placeholder: such a template would give every class the same text.
 */
export function checkTemplates(templates: readonly string[], where: string): void {
  if (templates.length === 0) throw new ZeroshiftError('CONFIG', `${where}: 'templates' is empty; give at least one template such as "a photo of a {}."`);
  templates.forEach((t, i) => {
    if (!hasPlaceholder(t)) {
      throw new ZeroshiftError('CONFIG', `${where}: templates[${i}] ${JSON.stringify(t)} has no class-name placeholder; use {} or {c}`);
    }
  });
}
