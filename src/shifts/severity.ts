import { ZeroshiftError } from '../errors.js';
import type { Registry } from '../util/registry.js';
import { SEVERITIES, type Severity } from './types.js';

/** How a `NAME:SEVERITY` flag names itself and its registry, for its messages. */
export interface NamedSeverityFlag {
  /** What the request is called in messages: `shift`, `text shift`. */
  what: string;
  /** The name's placeholder in the expected form: `corruption`, `name`. */
  placeholder: string;
  /** A valid request: `gaussian_noise:3`. */
  example: string;
  /** What the hint lists: `corruptions`, `text shifts`. */
  listed: string;
  /** The registry the name is looked up in (an unknown name throws, listing the known ones). */
  registry: Pick<Registry<unknown>, 'get' | 'ids'>;
}

/**
 * Parses `NAME:SEVERITY` (severity required, 1–5), the one form of `--shift` and `--text-shift`.
 * @throws ZeroshiftError USAGE on another form, an unknown name or a severity outside 1–5.
 */
export function parseNamedSeverity(text: string, flag: NamedSeverityFlag): { name: string; severity: Severity } {
  const m = /^([a-z_]+):(\d+)$/.exec(text.trim());
  if (!m) {
    throw new ZeroshiftError('USAGE', `${flag.what} '${text}' must look like <${flag.placeholder}>:<severity>, e.g. ${flag.example}`, {
      hint: `${flag.listed}: ${flag.registry.ids().join(', ')}; severities: ${SEVERITIES.join(', ')}`,
    });
  }
  flag.registry.get(m[1]);
  const severity = Number(m[2]);
  if (!(SEVERITIES as readonly number[]).includes(severity)) {
    throw new ZeroshiftError('USAGE', `${flag.what} '${text}': severity ${m[2]} is invalid; valid: ${SEVERITIES.join(', ')}`);
  }
  return { name: m[1], severity: severity as Severity };
}
