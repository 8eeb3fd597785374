import type { Command } from 'commander';
import { relative } from 'node:path';
import { builtinModels } from '../../model/builtinModels.js';
import { hubOptionsFrom } from '../modelOptions.js';
import { resolveHubModel } from '../../hub/resolve.js';
import { scanHubCache } from '../../hub/scanCache.js';
import { DTYPES } from '../../hub/dtypes.js';
import { formatBytes } from '../../prepare/progressLine.js';
import { textTable } from '../../util/textTable.js';
import { PACKAGE_ROOT } from '../../util/version.js';
import { choice, collect } from '../options.js';
import type { CliContext } from '../context.js';
import type { CommandRegistrar } from './index.js';

const dtypeChoice = choice('--dtype', DTYPES);

interface ListFlags {
  json?: boolean;
}

interface PullFlags {
  dtype?: string[];
}

function list(ctx: CliContext, flags: ListFlags): void {
  const builtin = [...builtinModels()].sort(([a], [b]) => a.localeCompare(b)).map(([name, path]) => ({ name, path }));
  const { config } = hubOptionsFrom({});
  const hub = scanHubCache(config.cacheDir);
  if (flags.json) {
    ctx.out(`${JSON.stringify({ builtin, hub: { cacheDir: config.cacheDir, models: hub.map(({ files: _files, ...s }) => ({ ref: `hf:${s.repo}`, ...s })) } }, null, 2)}\n`);
    return;
  }
  const lines = ['Built-in models (--model NAME):', textTable(['name', 'path'], builtin.map((b) => [b.name, relative(PACKAGE_ROOT, b.path)])), ''];
  lines.push(`Hub cache ${config.cacheDir} (--model hf:ORG/NAME[@REVISION]):`);
  if (hub.length === 0) lines.push('  (empty: fetch a model with `zeroshift models pull hf:ORG/NAME`)');
  else {
    const rows = hub.map((s) => [`hf:${s.repo}`, s.revisions.join(', ') || '-', s.commit.slice(0, 12), formatBytes(s.size), s.dtypes.join(', ') || '(no ONNX graphs)']);
    lines.push(textTable(['model', 'revision', 'commit', 'size', 'dtypes'], rows));
  }
  ctx.out(`${lines.join('\n')}\n`);
}

async function pull(ctx: CliContext, refs: string[], flags: PullFlags): Promise<void> {
  const options = hubOptionsFrom({});
  options.log = (m) => ctx.log.info(m);
  options.warn = (m) => ctx.log.warn(m);
  for (const ref of refs) {
    for (const dtype of flags.dtype?.length ? flags.dtype : ['fp32']) {
      const m = await resolveHubModel(ref, dtype, options);
      const what = m.downloadedBytes > 0 ? `downloaded ${formatBytes(m.downloadedBytes)}` : 'already cached';
      ctx.out(`hf:${m.repo}@${m.revision} → ${m.commit} (${dtype}, ${m.layout}, ${m.files.length} files, ${what}): ${m.dir}\n`);
    }
  }
}

/** `zeroshift models [pull hf:…]`: list built-in and cached Hub models; prefetch Hub models. */
export const registerModels: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const models = program
    .command('models')
    .description('list the built-in models and the Hub models in the hub cache; `models pull` fetches Hub models')
    .option('--json', 'print the list as JSON')
    .addHelpText(
      'after',
      `
The hub cache is $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub: the same
cache Python's huggingface_hub and transformers use, so models they fetched are listed too.

Examples:
  $ zeroshift models
  $ zeroshift models --json

With the network:
  zeroshift models pull hf:Xenova/clip-vit-base-patch32
  zeroshift models pull hf:Xenova/clip-vit-base-patch32@main --dtype fp32 --dtype q8
Docs: docs/hub.md`,
    )
    .action((flags: ListFlags) => list(ctx, flags));
  models
    .command('pull')
    .description('download Hub models into the hub cache (verified), e.g. on a login node before a batch job')
    .argument('<refs...>', 'hf:ORG/NAME[@REVISION] (branch, tag or commit sha; default main)')
    .option('--dtype <dtype>', `dtype to fetch, repeatable: ${DTYPES.join(', ')} (default fp32)`, (v: string, prev?: string[]) => collect(dtypeChoice(v), prev))
    .addHelpText(
      'after',
      `
Fetches the configs, the tokenizer and the graphs of each --dtype only (never every dtype),
verifies each file against its sha256 (LFS) or git-sha1, and resumes cut-off downloads.
HF_ENDPOINT picks the endpoint, HF_TOKEN the token for gated repositories.

Examples (they need the network):
  zeroshift models pull hf:Xenova/clip-vit-base-patch32
  HF_HUB_CACHE=/shared/hf zeroshift models pull hf:Xenova/siglip-base-patch16-224 --dtype q8
  zeroshift eval --model hf:Xenova/clip-vit-base-patch32 --offline   # later, with no network`,
    )
    .action(async (refs: string[], flags: PullFlags) => pull(ctx, refs, flags));
};
