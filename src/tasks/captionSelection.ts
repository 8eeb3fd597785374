import { modelLabel } from '../results/modelLabel.js';
import { ZeroshiftError } from '../errors.js';
import { clopperPearson } from '../metrics/clopperPearson.js';
import type { SelectionMetrics } from '../results/tasks/captionSelection.js';
import { embedTexts } from '../embed/textEmbeddings.js';
import { pct, shiftsLabel } from './format.js';
import type { EnvelopeTaskSpec } from './task.js';

/** One instance's images' embeddings (by position) and its captions. */
interface Instance {
  captions: string[];
  images: number;
  /** (D) L2-normalised embedding per image position, as they arrive. */
  embedded: Map<number, Float32Array>;
}

/**
 * Index of the first maximum of `row` (torch.argmax on the CPU returns the first of equal maxima).
 */
function argmax(row: readonly number[]): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
  return best;
}

/**
 * CLIP_benchmark's image_caption_selection (clip_benchmark/metrics/image_caption_selection.py,
 * restated) for one instance of I images and C captions, image i belonging with caption i:
 * scores = images · captionsᵀ (I, C); with g = min(I, C), the text choice is right when the
 * best caption of each of the first g images is its own, the image choice when the best image
 * of each of the first g captions is its own, and the instance is right when both are.
 * @param images (I, D) L2-normalised, row-major; @param texts (C, D) L2-normalised
 */
export function selectInstance(images: Float32Array, texts: Float32Array, dim: number): { text: boolean; image: boolean } {
  const nI = images.length / dim;
  const nC = texts.length / dim;
  const scores = Array.from({ length: nI }, (_, i) => Array.from({ length: nC }, (_, c) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += images[i * dim + d] * texts[c * dim + d];
    return s;
  }));
  const g = Math.min(nI, nC);
  let text = true;
  let image = true;
  for (let k = 0; k < g; k++) {
    if (argmax(scores[k]) !== k) text = false;
    if (argmax(scores.map((row) => row[k])) !== k) image = false;
  }
  return { text, image };
}

function count(hits: number, n: number): SelectionMetrics['acc'] {
  return { hits, n, value: n > 0 ? hits / n : 0, ci: clopperPearson(hits, n) };
}

/**
 * Image–caption selection (SugarCrepe: one image, its caption and a hard negative; Winoground:
 * two images, two captions). An image shift corrupts the images, a text shift the captions.
 * An instance with an image that could not be embedded is left out whole (its images are in
 * `skipped`).
 * Its result record (metrics schema, result member, index.csv columns) is src/results/tasks/captionSelection.ts.
 */
export const captionSelectionTask: EnvelopeTaskSpec = {
  id: 'image_caption_selection',
  title: 'image–caption selection: image_acc, text_acc and acc per instance (CLIP_benchmark; SugarCrepe, Winoground)',
  needs: 'selection',
  splitsItems: false,
  identity: () => null,
  async open(input) {
    const instances = new Map<string, Instance>();
    const place = new Map<string, { instance: string; index: number }>();
    for await (const s of input.dataset.samples({ signal: input.signal })) {
      if (!s.instance) continue;
      // A text shift perturbs each caption seeded by (instance id, caption), once per instance.
      const id = s.instance.id;
      const inst = instances.get(id) ?? { captions: s.instance.captions.map((c) => input.shiftText(c, id)), images: 0, embedded: new Map() };
      inst.images = Math.max(inst.images, s.instance.index + 1);
      instances.set(s.instance.id, inst);
      place.set(s.id, { instance: s.instance.id, index: s.instance.index });
    }
    const dim = input.model.info.embedDim;
    return {
      add(batch) {
        batch.items.forEach((item, r) => {
          const p = place.get(item.id);
          if (p) instances.get(p.instance)!.embedded.set(p.index, batch.embeddings.slice(r * dim, (r + 1) * dim));
        });
      },
      async finish() {
        const complete = [...instances.values()].filter((inst) => inst.embedded.size === inst.images);
        if (complete.length === 0) throw new ZeroshiftError('DATASET', `${input.dataset.spec}: no instance had all its images embedded`);
        // Each distinct caption embedded once (SugarCrepe repeats positives across files).
        const texts = [...new Set(complete.flatMap((inst) => inst.captions))];
        const t = await embedTexts(input.model, texts, input.textCache, { signal: input.signal, onEmbedded: (n) => input.textsEmbedded?.(n) });
        const row = new Map(texts.map((text, i) => [text, t.x.subarray(i * dim, (i + 1) * dim)]));
        let text = 0;
        let image = 0;
        let both = 0;
        for (const inst of complete) {
          const imgs = new Float32Array(inst.images * dim);
          for (let i = 0; i < inst.images; i++) imgs.set(inst.embedded.get(i)!, i * dim);
          const caps = new Float32Array(inst.captions.length * dim);
          inst.captions.forEach((c, i) => caps.set(row.get(c)!, i * dim));
          const r = selectInstance(imgs, caps, dim);
          text += Number(r.text);
          image += Number(r.image);
          both += Number(r.text && r.image);
        }
        const n = complete.length;
        return { selection: { n, textAcc: count(text, n), imageAcc: count(image, n), acc: count(both, n) }, texts: { computed: t.computed, cached: t.cached } };
      },
    };
  },
  summary: {
    columns: ['model', 'dataset', 'shift', 'instances', 'text acc %', 'image acc %', 'acc % [95% CI]', 'partial'],
    row(r) {
      const m = r.selection!;
      return [modelLabel(r.model), r.dataset.name, shiftsLabel(r), String(m.n), pct(m.textAcc.value), pct(m.imageAcc.value), `${pct(m.acc.value)} [${pct(m.acc.ci[0])}, ${pct(m.acc.ci[1])}]`, r.partial ? 'yes' : ''];
    },
  },
};
