#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';
import { acceptClipBenchmarkFlags } from './clipBenchmarkFlags.js';
import type { CliContext } from './context.js';
import { isZeroshiftError } from '../errors.js';
import { VERSION } from '../util/version.js';

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

function stderrLogger(verbose: boolean): CliContext['log'] {
  return {
    info: (m) => process.stderr.write(`${m}\n`),
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
    debug: (m) => {
      if (verbose) process.stderr.write(`debug: ${m}\n`);
    },
  };
}

/** Builds the program; exported for tests that drive the CLI in-process. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('zeroshift')
    .description(
      'Zero-shot CLIP evaluation under distribution shift.\n' +
        'Run `zeroshift eval` with no arguments to evaluate the embedded tiny models on the shapes benchmark.',
    )
    .version(VERSION)
    .option('--verbose', 'print debug output and stack traces')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 failure, 2 bad usage or input, 130 stopped by Ctrl-C (run the same command to resume).\nDocs: README.md in the package.',
    );
  for (const register of COMMANDS) register(program, ctx);
  return program;
}

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  const ctx: CliContext = {
    log: stderrLogger(verbose),
    out: (t) => process.stdout.write(t),
    verbose,
    argv: ['zeroshift', ...argv],
  };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(acceptClipBenchmarkFlags(program, argv), { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    return reportError(e, verbose);
  }
}

function reportError(e: unknown, verbose: boolean): number {
  if (e instanceof CommanderError) {
    // Commander already printed its message (with a suggestion for near misses).
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
    return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (isZeroshiftError(e)) {
    process.stderr.write(`zeroshift: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}\n`);
    if (verbose && e.stack) process.stderr.write(`${e.stack}\n`);
    return e.exitCode;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(`zeroshift: internal error: ${err.message}\n`);
  if (verbose && err.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('  (run again with --verbose for a stack trace, and please report it)\n');
  return EXIT_FAILURE;
}

/**
 * A reader that closes early (`zeroshift --help | head -1`) is not an error: stop quietly, as
 * other Unix tools do, instead of Node's unhandled EPIPE stack trace.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? EXIT_OK);
  });
}

const invokedDirectly = process.argv[1] !== undefined && /zeroshift$|main\.(js|ts)$/.test(process.argv[1]);
if (invokedDirectly) {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`zeroshift: ${String(e)}\n`);
      process.exitCode = EXIT_FAILURE;
    },
  );
}
