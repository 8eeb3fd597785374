import { describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { unknownIdError } from '../../src/errors.js';

async function evalFails(args: string[]): Promise<string> {
  const tmp = await mkdtemp(join(tmpdir(), 'zs-msg-'));
  const r = await cli(['eval', ...args, '--out', join(tmp, 'o'), '--cache-dir', join(tmp, 'c'), '--no-progress']);
  expect(r.code, r.stderr).toBe(2);
  return r.stderr;
}

describe('"did you mean" and short lists for unknown ids', () => {
  it('shortens long lists and names the nearest id', () => {
    const ids = Array.from({ length: 70 }, (_, i) => `set-${String(i).padStart(2, '0')}`);
    expect(unknownIdError('prompt set', 'set-7', ids).message).toBe(`unknown prompt set 'set-7'; did you mean 'set-07'?; known: ${ids.slice(0, 12).join(', ')}, … (70 in all)`);
    expect(unknownIdError('baseline', 'nope', ['testbed', 'clip-benchmark']).message).toBe("unknown baseline 'nope'; known: clip-benchmark, testbed");
  });

  it('a Hub id without hf:, a task and a --group-by field near a valid one are named', async () => {
    const hub = await evalFails(['--dataset', 'shapes:dark?n=4', '-m', 'openai/clip-vit-base-patch32']);
    expect(hub).toMatch(/openai\/clip-vit-base-patch32: model not found; did you mean 'hf:openai\/clip-vit-base-patch32' \(a Hugging Face Hub model\)\?/);
    expect(hub).toContain('hint: --model hf:openai/clip-vit-base-patch32 loads it from the Hugging Face Hub');
    const task = await evalFails(['--dataset', 'shapes:dark?n=4', '--task', 'retrival']);
    expect(task).toMatch(/--task must be one of .*; got 'retrival'; did you mean 'zeroshot_retrieval'\?/);
    const field = await evalFails(['--dataset', 'shapes:dark?n=4', '--group-by', 'colour']);
    expect(field).toMatch(/has a metadata field 'colour'; did you mean 'color'\?; fields present: .*color/);
  });

  it("CLIP_benchmark's flags: snake_case spellings run as the zeroshift flag, the others are answered with it", async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'zs-msg-'));
    const ok = await cli(['eval', '--dataset', 'shapes:dark?n=4', '--batch_size=2', '--skip_existing', '--out', join(tmp, 'o'), '--no-cache', '--no-progress', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)[0].command).toEqual(expect.arrayContaining(['--batch_size=2']));
    const pretrained = await evalFails(['--dataset', 'shapes:dark?n=4', '--pretrained', 'openai']);
    expect(pretrained).toMatch(/^zeroshift: --pretrained is a CLIP_benchmark flag; zeroshift names the weights in --model: a model directory, hf:ORG\/NAME/m);
    const root = await evalFails(['--dataset', 'wds/cifar10', '--dataset_root', '/data/wds_cifar10']);
    expect(root).toMatch(/--dataset_root is a CLIP_benchmark flag; zeroshift puts the dataset's folder in its spec: --dataset wds:DIR/);
    // Values after `--` are left alone, and unknown flags still get commander's message.
    expect(await evalFails(['--no-such_flag'])).toMatch(/unknown option '--no-such_flag'/);
  });

  it('prompt set, model and suite typos suggest the right id, and exit 2 before any banner', async () => {
    const prompt = await evalFails(['--dataset', 'shapes:dark?n=4', '--prompts', 'shapes-shap']);
    expect(prompt).toMatch(/unknown prompt set 'shapes-shap'; did you mean 'shapes-shape'\?; known: .*… \(\d+ in all\)/);
    const model = await evalFails(['--dataset', 'shapes:dark?n=4', '-m', 'tiny-clip-shape']);
    expect(model).toMatch(/tiny-clip-shape: model not found; did you mean 'tiny-clip-shapes'\?/);
    const suite = await evalFails(['--suite', 'shapes-zo']);
    expect(suite).toMatch(/suite 'shapes-zo' not found; did you mean 'shapes-zoo'\?/);
    for (const stderr of [prompt, model, suite]) expect(stderr).not.toMatch(/^zeroshift eval: /m);
  });
});

describe('prompt set files', () => {
  it('a non-JSON file says the format and --template; description and source are optional', async () => {
    const { writeFile } = await import('node:fs/promises');
    const { loadPromptSetFile } = await import('../../src/prompts/load.js');
    const tmp = await mkdtemp(join(tmpdir(), 'zs-prompts-'));
    const text = join(tmp, 'prompts.txt');
    await writeFile(text, 'a photo of a {}.\na drawing of a {}.\n');
    await expect(loadPromptSetFile(text)).rejects.toMatchObject({
      message: expect.stringMatching(/prompts\.txt: a prompt set file must be JSON/),
      hint: expect.stringMatching(/"schemaVersion": 1.*--template "a photo of a \{\}\." \(repeatable\)/),
    });
    const minimal = join(tmp, 'minimal.json');
    await writeFile(minimal, JSON.stringify({ schemaVersion: 1, name: 'minimal', templates: ['a {}.'] }));
    expect((await loadPromptSetFile(minimal)).templates).toEqual(['a {}.']);
  });
});

describe('--help', () => {
  it('prints numeric defaults as numbers in every command', async () => {
    for (const path of [['eval'], ['compare-prompts'], ['classify'], ['embed'], ['datasets', 'show'], ['report'], ['merge'], ['prepare']]) {
      const help = (await cli([...path, '--help'])).stdout.replace(/\n\s+/g, ' ');
      expect(help, path.join(' ')).not.toMatch(/default: "\d+"/);
    }
    const evalHelp = (await cli(['eval', '--help'])).stdout.replace(/\n\s+/g, ' ');
    expect(evalHelp).toMatch(/--threads <n\|auto> .*auto = one per physical core .*0 = ONNX Runtime's own default \(default: "auto"\)/);
    expect(evalHelp).toMatch(/--decode-workers <n\|auto> .*0 = in the main thread \(default: "auto"\)/);
  });
});
