import type { Command } from 'commander';
import { ZeroshiftError } from '../errors.js';

/**
 * CLIP_benchmark flags with no flag of the same meaning here, and what to use instead. Those
 * that only differ in spelling (`--batch_size`, `--fewshot_k`, `--skip_existing`) are accepted
 * as the kebab-case flag they name.
 */
const ANSWERS: ReadonlyMap<string, string> = new Map([
  ['--pretrained', 'zeroshift names the weights in --model: a model directory, hf:ORG/NAME (see docs/hub.md) or a built-in name (zeroshift models)'],
  ['--dataset_root', "zeroshift puts the dataset's folder in its spec: --dataset wds:DIR (DIR being CLIP_benchmark's dataset_root), or --data-dir DIR for datasets named by name (cifar10.1, imagenet-r)"],
  ['--output', 'use --out DIR: a results directory, one JSON per model, dataset, shift and prompt set'],
  ['--num_workers', 'use --decode-workers N (image decoding in worker threads; default auto)'],
  ['--model_type', 'not needed: --model reads the model type from its files'],
  ['--custom_template_file', 'use --prompts FILE.json (a prompt set: classnames and templates, see docs/prompts.md) or --template'],
  ['--custom_classname_file', 'use --prompts FILE.json (a prompt set: classnames and templates, see docs/prompts.md)'],
]);

/**
 * Rewrites CLIP_benchmark's snake_case spellings of this command's flags (`--batch_size 64`,
 * `--fewshot_k=5`) to the kebab-case flags, and answers CLIP_benchmark flags that have no
 * equivalent with the zeroshift way to say it. Arguments after `--` are left alone.
 * @throws ZeroshiftError('USAGE') for a CLIP_benchmark flag with no equivalent
 */
export function acceptClipBenchmarkFlags(program: Command, argv: readonly string[]): string[] {
  const command = program.commands.find((c) => c.name() === argv[0] || c.aliases().includes(argv[0] ?? ''));
  if (!command) return [...argv];
  const flags = new Set(command.options.flatMap((o) => (o.long ? [o.long] : [])));
  const end = argv.indexOf('--');
  return argv.map((arg, i) => {
    if ((end >= 0 && i > end) || !arg.startsWith('--')) return arg;
    const [name, ...value] = arg.split('=');
    if (flags.has(name)) return arg;
    const kebab = name.replaceAll('_', '-');
    if (kebab !== name && flags.has(kebab)) return [kebab, ...value].join('=');
    const answer = ANSWERS.get(name);
    if (answer) throw new ZeroshiftError('USAGE', `${name} is a CLIP_benchmark flag; ${answer}`, { hint: `see zeroshift ${command.name()} --help` });
    return arg;
  });
}
