import { describe, expect, it } from 'vitest';
import { median, retrievalMetrics, retrievalRanks } from '../../src/metrics/retrieval.js';
import { clopperPearson } from '../../src/metrics/clopperPearson.js';
import { createRng } from '../../src/util/rng.js';

// Images I0=(1,0), I1=(0,1), I2=(.6,.8); captions T0=(1,0)→I0, T1=(.8,.6)→I1, T2=(0,1)→I1, T3=(1,0)→I2.
// scores[t][i]: T0 [1, 0, .6]; T1 [.8, .6, .96]; T2 [0, 1, .8]; T3 [1, 0, .6].
// text→image ranks: T0 1; T1 3 (I2 .96 and I0 .8 beat .6); T2 1; T3 2 (I0 1 beats .6).
// image→text: I0 column [1, .8, 0, 1]: T0 ties T3 at 1 and has the lower index → rank 1.
// I1 column [0, .6, 1, 0]: best caption T2 → rank 1. I2 column [.6, .96, .8, .6]: its caption T3
// scores .6, tied with T0 (lower index, ranks first), after T1 and T2 → rank 4.
const small = {
  images: new Float32Array([1, 0, 0, 1, 0.6, 0.8]),
  texts: new Float32Array([1, 0, 0.8, 0.6, 0, 1, 1, 0]),
  dim: 2,
  textImage: new Int32Array([0, 1, 1, 2]),
};

describe('retrieval metrics (CLIP_benchmark definitions)', () => {
  it('ranks by hand, ties to the lower index', () => {
    const r = retrievalRanks(small);
    expect(Array.from(r.imageRanks)).toEqual([1, 3, 1, 2]);
    expect(Array.from(r.textRanks)).toEqual([1, 1, 4]);
  });

  it('recall@k, CIs, mean/median rank and DataComp mean R@1 by hand', () => {
    const m = retrievalMetrics(small);
    expect(m.nImages).toBe(3);
    expect(m.nTexts).toBe(4);
    expect(m.recall['image_retrieval_recall@1']).toEqual({ hits: 2, n: 4, value: 0.5, ci: clopperPearson(2, 4) });
    expect(m.recall['image_retrieval_recall@5'].value).toBe(1);
    expect(m.recall['text_retrieval_recall@1'].value).toBeCloseTo(2 / 3, 15);
    expect(m.recall['text_retrieval_recall@5'].value).toBe(1);
    expect(m.recall['text_retrieval_recall@10'].hits).toBe(3);
    expect(m.imageRetrievalMeanRank).toBe(7 / 4);
    expect(m.imageRetrievalMedianRank).toBe(1.5);
    expect(m.textRetrievalMeanRank).toBe(2);
    expect(m.textRetrievalMedianRank).toBe(1);
    expect(m.meanRecallAt1).toBeCloseTo(0.5 * (0.5 + 2 / 3), 15);
  });

  it('matches a literal restatement of CLIP_benchmark (positive-pair matrix, top-k, any positive) on random data', () => {
    const rng = createRng('retrieval-random');
    const nI = 37;
    const dim = 8;
    const textImage: number[] = [];
    for (let i = 0; i < nI; i++) for (let c = 0, n = rng.int(1, 5); c < n; c++) textImage.push(i);
    const unit = (n: number) => {
      const a = new Float32Array(n * dim);
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let d = 0; d < dim; d++) s += (a[r * dim + d] = rng.normal()) ** 2;
        for (let d = 0; d < dim; d++) a[r * dim + d] /= Math.sqrt(s);
      }
      return a;
    };
    const input = { images: unit(nI), texts: unit(textImage.length), dim, textImage: Int32Array.from(textImage) };
    const nT = textImage.length;
    const score = (t: number, i: number) => {
      let s = 0;
      for (let d = 0; d < dim; d++) s += input.texts[t * dim + d] * input.images[i * dim + d];
      return s;
    };
    const topk = (vals: number[], k: number) => vals.map((v, j) => [v, j] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, k).map((x) => x[1]);
    const m = retrievalMetrics(input);
    for (const k of [1, 5, 10]) {
      let img = 0;
      for (let t = 0; t < nT; t++) if (topk(Array.from({ length: nI }, (_, i) => score(t, i)), k).includes(textImage[t])) img++;
      let txt = 0;
      for (let i = 0; i < nI; i++) if (topk(Array.from({ length: nT }, (_, t) => score(t, i)), k).some((t) => textImage[t] === i)) txt++;
      expect(m.recall[`image_retrieval_recall@${k}`].hits).toBe(img);
      expect(m.recall[`text_retrieval_recall@${k}`].hits).toBe(txt);
    }
  });

  it('median averages the two middle ranks for an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
  });

  it('rejects an image without a caption', () => {
    expect(() => retrievalRanks({ ...small, textImage: new Int32Array([0, 0, 0, 0]) })).toThrow(/image 1 has no caption/);
  });
});
