import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerEval } from './eval.js';
import { registerComparePrompts } from './comparePrompts.js';
import { registerCompare } from './compare.js';
import { registerPrepare } from './prepare.js';
import { registerReport } from './report.js';
import { registerClassify } from './classify.js';
import { registerEmbed } from './embed.js';
import { registerMerge } from './merge.js';
import { registerDatasets } from './datasets.js';
import { registerVerify } from './verify.js';
import { registerModels } from './models.js';
import { registerCache } from './cache.js';

/** A CLI command: adds itself (with its --help text) to the program. */
export type CommandRegistrar = (program: Command, ctx: CliContext) => void;

/**
 * Every command, in the order `zeroshift --help` lists them. Each lives in its own file
 * under src/cli/commands/.
 */
export const COMMANDS: CommandRegistrar[] = [registerEval, registerComparePrompts, registerPrepare, registerReport, registerCompare, registerClassify, registerEmbed, registerDatasets, registerModels, registerMerge, registerVerify, registerCache];
