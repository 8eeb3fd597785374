/**
 * Hub model references: `hf:ORG/NAME[@REVISION]`, the way users name models in the
 * Hugging Face ecosystem (`hf:Xenova/clip-vit-base-patch32@main`).
 */
import { ZeroshiftError } from '../errors.js';

/** Prefix that marks a model reference as a Hub repository. */
export const HUB_PREFIX = 'hf:';
/** Revision used when the reference names none (huggingface_hub's DEFAULT_REVISION). */
export const DEFAULT_REVISION = 'main';

/** A parsed `hf:` reference. */
export interface HubRef {
  /** `ORG/NAME` (or `NAME` for the few repositories without a namespace). */
  repo: string;
  /** Branch, tag or commit sha as asked; `main` when the reference names none. */
  revision: string;
}

// huggingface_hub's validate_repo_id: optional namespace, 1-96 chars of [\w.-], no `--`, no `..`.
const REPO_ID = /^(?:[\w.-]+\/)?[\w.-]{1,96}$/;
const COMMIT = /^[0-9a-f]{40}$/;

/** True for `hf:…` references. */
export function isHubRef(ref: string): boolean {
  return ref.startsWith(HUB_PREFIX);
}

/** True when a revision is a full commit sha (content-addressed: never moves). */
export function isCommitSha(revision: string): boolean {
  return COMMIT.test(revision);
}

/**
 * Parses `hf:ORG/NAME[@REVISION]`.
 * @throws ZeroshiftError('USAGE') naming the reference and the expected form.
 */
export function parseHubRef(ref: string): HubRef {
  const body = ref.slice(HUB_PREFIX.length);
  const at = body.indexOf('@');
  const repo = at < 0 ? body : body.slice(0, at);
  const revision = at < 0 ? DEFAULT_REVISION : body.slice(at + 1);
  const bad = (why: string): ZeroshiftError =>
    new ZeroshiftError('USAGE', `model reference '${ref}': ${why}`, { hint: 'write hf:ORG/NAME or hf:ORG/NAME@REVISION, e.g. hf:Xenova/clip-vit-base-patch32@main' });
  if (!isHubRef(ref)) throw bad(`does not start with '${HUB_PREFIX}'`);
  if (!REPO_ID.test(repo) || /^[-.]|[-.]$|[-.]\/|\/[-.]/.test(repo)) throw bad(`'${repo}' is not a repository id (letters, digits, '-', '_', '.'; at most one '/')`);
  if (repo.includes('--') || repo.includes('..') || repo.endsWith('.git')) throw bad(`'${repo}' is not a repository id (no '--', '..' or '.git')`);
  if (revision === '' || revision.split('/').some((p) => p === '' || p === '.' || p === '..') || /[\\\0]/.test(revision)) {
    throw bad(`'${revision}' is not a revision (a branch, tag or commit sha)`);
  }
  return { repo, revision };
}

/** Canonical text of a reference: `hf:ORG/NAME@REVISION`. */
export function formatHubRef(ref: HubRef): string {
  return `${HUB_PREFIX}${ref.repo}@${ref.revision}`;
}
