/**
 * The `hf:` hook of model-reference resolution: a Hub reference becomes a snapshot directory
 * of the hub cache (fetched and verified when needed), then resolves like any model directory.
 */
import { ZeroshiftError, isZeroshiftError } from '../errors.js';
import { hubConfigFromEnv } from '../hub/config.js';
import { isHubRef, parseHubRef } from '../hub/ref.js';
import { pullCommand, resolveHubModel, type HubIdentity, type HubOptions } from '../hub/resolve.js';
import { resolveModelFiles, type ModelFiles, type ResolveOptions } from './modelFiles.js';
import { externalDataLocations } from './onnxExternalData.js';

export type { HubIdentity, HubOptions };

/**
 * Resolves any model reference to its files: paths, specs and built-in names as
 * `resolveModelFiles` does; `hf:ORG/NAME[@REV]` through the hub cache (with `options.hub`,
 * or the HF_* environment variables when none is given), returning the Hub identity too.
 */
export async function locateModel(ref: string | undefined, options: ResolveOptions & { hub?: HubOptions } = {}): Promise<{ files: ModelFiles; hub?: HubIdentity }> {
  if (ref === undefined || !isHubRef(ref)) return { files: resolveModelFiles(ref, options) };
  const dtype = options.dtype ?? 'fp32';
  // The graphs' own external-data references decide which weight files are fetched.
  const hubOptions: HubOptions = { referencedFiles: externalDataLocations, ...(options.hub ?? { config: hubConfigFromEnv(process.env) }) };
  const model = await resolveHubModel(ref, dtype, hubOptions);
  let files: ModelFiles;
  try {
    files = resolveModelFiles(model.dir, options);
  } catch (e) {
    if (!isZeroshiftError(e)) throw e;
    const fix = hubOptions.config.offline
      ? `fetch them with \`${pullCommand(parseHubRef(ref), dtype)}\` where the network is reachable`
      : `the repository at commit ${model.commit} does not hold them: it is not a model in a supported layout (docs/models.md)`;
    throw new ZeroshiftError(e.code, `${ref}: ${e.message}`, { hint: fix });
  }
  const name = model.revision === 'main' ? model.repo : `${model.repo}@${model.revision}`;
  return { files: { ...files, name, source: ref }, hub: { repo: model.repo, revision: model.revision, commit: model.commit } };
}
