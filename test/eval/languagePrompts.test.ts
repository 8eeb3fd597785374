import { describe, expect, it } from 'vitest';
import { languagePrompts } from '../../src/eval/languagePrompts.js';
import { imagenetLanguageSet, languageIds } from '../../src/prompts/languages.js';
import { getPromptSet } from '../../src/prompts/registry.js';
import { displayName } from '../../src/prompts/schema.js';
import { imagenetSubset } from '../../src/datasets/subsets.js';
import { plainProtocol } from '../../src/datasets/scoringProtocol.js';
import type { Dataset } from '../../src/datasets/types.js';
import type { EvalTarget, EvalUnit } from '../../src/tasks/unit.js';

function dataset(name: string, classNames: string[], promptKey?: string): Dataset {
  return { spec: `folder:/x/${name}`, adapter: 'folder', name, classNames, promptKey, fingerprint: name, samples: async function* () {} };
}

function unit(target: Partial<EvalTarget>): EvalUnit {
  return {
    modelRef: 'm', shift: null, promptSets: [], ensembling: 'clip',
    target: { spec: 'folder:/x', family: null, variant: null, isStandard: false, subset: null, protocol: null, scoringProtocol: plainProtocol(), ...target },
  };
}

describe('languages', () => {
  it("each language's set holds ImageNet's 1000 classes in that language, with CLIP_benchmark's commit as its source", () => {
    expect(languageIds()).toEqual(['ar', 'cn', 'en', 'it', 'jp']);
    for (const code of languageIds().filter((c) => c !== 'en')) {
      const set = getPromptSet(imagenetLanguageSet(code));
      expect(set.language).toBe(code);
      expect(set.classNames).toHaveLength(1000);
      expect(set.source).toMatch(new RegExp(`^LAION-AI/CLIP_benchmark@[0-9a-f]{40} clip_benchmark/datasets/${code}_classnames\\.json`));
    }
    expect(getPromptSet('imagenet-jp').classNames?.slice(0, 2)).toEqual(['テンチ', '金魚']);
    expect(getPromptSet('imagenet-it').templates).toHaveLength(49);
  });

  it('a subset variant (imagenet-r) gets all 1000 translated rows; its subset applies when scoring', async () => {
    const imagenetNames = (getPromptSet('imagenet').classNames ?? []).map(displayName);
    const r = imagenetSubset('imagenet-r');
    const sel = await languagePrompts('cn', unit({ family: 'imagenet', variant: 'imagenet-r', subset: 'imagenet-r', classSpace: imagenetNames, promptKey: 'imagenet' }),
      dataset('imagenet-r', r.map((i) => `class${i}`)));
    expect(sel.classNames).toEqual(getPromptSet('imagenet-cn').classNames);
    expect(sel.name).toBe('imagenet-cn');
  });

  it('a folder of WordNet-id folders anywhere gets each folder its translated class', async () => {
    const sel = await languagePrompts('it', unit({}), dataset('two', ['n01440764', 'n01443537', 'n15075141']));
    const it = getPromptSet('imagenet-it').classNames ?? [];
    expect(sel.classNames).toEqual([it[0], it[1], it[999]]);
    expect(sel.templates).toEqual(getPromptSet('imagenet-it').templates);
  });

  it('English on another dataset is the automatic choice; another language there is a USAGE error', async () => {
    const sel = await languagePrompts('en', unit({}), dataset('cifar', ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'], 'cifar10'));
    expect(sel.name).toBe('cifar10');
    await expect(languagePrompts('ar', unit({}), dataset('pets', ['abyssinian', 'n01440764']))).rejects.toMatchObject({
      code: 'USAGE', message: expect.stringMatching(/pets is not an ImageNet-family dataset.*languages: ar, cn, en, it, jp/),
    });
  });
});
