import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ZeroshiftError, unknownIdError } from '../errors.js';
import { CIFAR10C_CORRUPTIONS } from './familyData.js';
import { folderAdapter } from './folder.js';
import { checkOptions, requireArg } from './options.js';
import { pySorted } from './sortNames.js';
import { formatDatasetSpec } from './spec.js';
import type { AdapterDef, Dataset, DatasetSpec } from './types.js';

/** The 19 corruption folder names of the published -C sets (ImageNet-C, Tiny-ImageNet-C, CIFAR-10-C). */
export const C_CORRUPTIONS: readonly string[] = CIFAR10C_CORRUPTIONS;

const SEVERITIES = ['1', '2', '3', '4', '5'];

const OPTIONS = {
  corruption: `the corruption folder: ${C_CORRUPTIONS.join(', ')}`,
  severity: 'the severity folder, 1..5',
};

/** What a -C tree holds: severities per known corruption folder, and folders that are no corruption. */
export interface CLayout {
  corruptions: Map<string, string[]>;
  unknown: string[];
}

/** Lists ROOT/<corruption>/<severity> (folders only); names outside C_CORRUPTIONS go to `unknown`. */
export async function scanCLayout(root: string): Promise<CLayout> {
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (e) {
    throw new ZeroshiftError('DATASET', `${root}: cannot read the -C root (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, {
      hint: 'point it at the directory holding the corruption folders (brightness/, contrast/, ... each with 1/ … 5/)',
    });
  }
  const layout: CLayout = { corruptions: new Map(), unknown: [] };
  for (const e of pySorted(entries.filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name))) {
    if (!C_CORRUPTIONS.includes(e)) {
      layout.unknown.push(e);
      continue;
    }
    const sev = (await readdir(join(root, e), { withFileTypes: true })).filter((d) => d.isDirectory() && SEVERITIES.includes(d.name)).map((d) => d.name);
    layout.corruptions.set(e, pySorted(sev));
  }
  return layout;
}

/** `fog 1–5, snow 1 2 4` for messages. */
export function describeCLayout(layout: CLayout): string {
  const parts = [...layout.corruptions].map(([c, s]) => `${c} ${s.length === 5 ? '1–5' : s.length ? s.join(' ') : '(no severity folders)'}`);
  return parts.length ? parts.join(', ') : 'no corruption folders';
}

function option(spec: DatasetSpec, key: 'corruption' | 'severity'): string {
  const v = spec.options[key];
  if (v === undefined) throw new ZeroshiftError('USAGE', `adapter 'imagenet-c' needs ?${key}=…, e.g. imagenet-c:/data/imagenet-c?corruption=fog&severity=3`);
  return v;
}

/**
 * One (corruption, severity) of a published -C tree, ROOT/<corruption>/<severity>/<wnid>/*.JPEG,
 * read as the folder adapter reads ROOT/<corruption>/<severity> (synset folders, sorted).
 * Folders under ROOT that are no ImageNet-C corruption are listed in the dataset's warnings
 * and skipped; a missing corruption or severity folder is a DATASET error listing what is there.
 */
async function open(spec: DatasetSpec): Promise<Dataset> {
  checkOptions(spec, OPTIONS);
  const root = requireArg(spec, 'the -C root holding the corruption folders');
  const corruption = option(spec, 'corruption');
  const severity = option(spec, 'severity');
  if (!C_CORRUPTIONS.includes(corruption)) throw unknownIdError('ImageNet-C corruption', corruption, C_CORRUPTIONS);
  if (!SEVERITIES.includes(severity)) throw new ZeroshiftError('USAGE', `imagenet-c: severity=${severity} is not one of ${SEVERITIES.join(', ')}`);
  const layout = await scanCLayout(root);
  const skipped = layout.unknown.length ? `; not ImageNet-C corruptions (skipped): ${layout.unknown.join(', ')}` : '';
  if (!layout.corruptions.get(corruption)?.includes(severity)) {
    throw new ZeroshiftError('DATASET', `${root}: no ${corruption}/${severity} folder; this tree has ${describeCLayout(layout)}${skipped}`, {
      hint: `the layout is ROOT/<corruption>/<severity>/<wnid>/*.JPEG with corruptions ${C_CORRUPTIONS.join(', ')} and severities 1–5 (unpack every ImageNet-C tar into ROOT)`,
    });
  }
  const inner = await folderAdapter.open({ adapter: 'folder', arg: join(root, corruption, severity), options: {} });
  const warnings = [...(inner.warnings ?? []), ...(layout.unknown.length ? [`${root}: folders that are not ImageNet-C corruptions, skipped: ${layout.unknown.join(', ')}`] : [])];
  return {
    ...inner,
    spec: formatDatasetSpec(spec),
    adapter: 'imagenet-c',
    name: `${basename(root)}-${corruption}-${severity}`,
    warnings: warnings.length ? warnings : undefined,
  };
}

export const imagenetCAdapter: AdapterDef = {
  id: 'imagenet-c',
  summary: 'one corruption and severity of a published ImageNet-C / Tiny-ImageNet-C tree',
  format:
    'ROOT/<corruption>/<severity>/<wnid>/*.JPEG as Hendrycks & Dietterich publish ImageNet-C (224 px, 1000 synsets) and ' +
    'Tiny-ImageNet-C (64 px, 200 synsets); each (corruption, severity) folder is read like folder: (synset folders sorted); ' +
    'folders under ROOT that are no corruption are listed and skipped',
  options: OPTIONS,
  example: 'imagenet-c:/data/imagenet-c?corruption=fog&severity=3',
  open,
};
