import { ZeroshiftError } from '../errors.js';
import { findVariant, variantProtocol } from '../datasets/families.js';
import { isCorrectPrediction, plainProtocol, type ScoringProtocol } from '../datasets/scoringProtocol.js';
import { RESULT_SCHEMA_VERSION, resultSchema, type Prediction, type Result } from './schema.js';
import { resultV1Schema, type ResultV1 } from './schemaV1.js';
import { resultRangeProblem } from './valueRanges.js';

/**
 * Validates a parsed result file of any version this code reads (schema, then value ranges:
 * valueRanges.ts) and returns it as the current version. Errors name the file and the failing key.
 */
export function parseResult(raw: unknown, file: string): Result {
  const version = typeof raw === 'object' && raw !== null ? (raw as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (typeof version === 'number' && version > RESULT_SCHEMA_VERSION) {
    throw new ZeroshiftError('INPUT', `${file}: result schemaVersion ${version} is newer than this zeroshift reads (1..${RESULT_SCHEMA_VERSION})`, { hint: 'upgrade zeroshift to read it' });
  }
  const result = version === 1 ? upgradeV1(validated(resultV1Schema.safeParse(raw), file), file) : validated(resultSchema.safeParse(raw), file);
  const problem = resultRangeProblem(result);
  if (problem) {
    throw new ZeroshiftError('INPUT', `${file}: invalid result: ${problem}`, {
      hint: 'the file was edited or damaged after zeroshift wrote it: rerun the evaluation (or restore the file) rather than report it',
    });
  }
  return result;
}

function validated<T>(parsed: { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }, file: string): T {
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ZeroshiftError('INPUT', `${file}: invalid result at '${issue.path.map(String).join('.')}': ${issue.message}`);
}

/**
 * A version-1 result as version 2. Version 1 applied softmax over logitScale · cos and no image
 * crop; its scoring protocol is rebuilt from the recorded family variant and the label names
 * of its per-class table (the dataset's classes), exactly as the run derived it.
 */
function upgradeV1(r: ResultV1, file: string): Result {
  return {
    ...r,
    schemaVersion: RESULT_SCHEMA_VERSION,
    model: { ...r.model, scoring: { rule: 'softmax', scale: r.model.logitScale, bias: 0 } },
    scoringProtocol: v1Protocol(r, file),
  };
}

function v1Protocol(r: ResultV1, file: string): ScoringProtocol {
  if (r.dataset.variant === null) return plainProtocol();
  let variant;
  try {
    variant = findVariant(r.dataset.variant).variant;
  } catch {
    return plainProtocol(); // a variant this version no longer knows was scored plainly
  }
  try {
    return { ...variantProtocol(variant, r.perClass.map((c) => c.name)), crop: null };
  } catch (e) {
    throw new ZeroshiftError('INPUT', `${file}: version-1 result of ${r.dataset.variant} whose scoring protocol cannot be rebuilt (${(e as Error).message})`, { hint: 'rerun the evaluation to write a version-2 result' });
  }
}

/** A predictions-file line as the current version: version-1 lines get `correct` from the result's protocol. */
export function upgradePrediction(p: Omit<Prediction, 'correct'> & { correct?: boolean }, result: Pick<Result, 'scoringProtocol'>): Prediction {
  if (typeof p.correct === 'boolean') return p as Prediction;
  const pred = p.top[0];
  return { ...p, correct: pred !== undefined && isCorrectPrediction(result.scoringProtocol, p.label, pred) };
}
