import { modelLabel } from '../results/modelLabel.js';
import { ZeroshiftError } from '../errors.js';
import { retrievalGroups, retrievalMetricsFromRanks, retrievalRanks } from '../metrics/retrieval.js';
import { groupValue } from '../metrics/groups.js';
import { readItemMetadata } from '../datasets/metadata.js';
import { embedTexts } from '../embed/textEmbeddings.js';
import { BatchSet } from './batchSet.js';
import { pct, shiftsLabel } from './format.js';
import type { EnvelopeTaskSpec, TaskScore } from './task.js';

/**
 * Zero-shot image–text retrieval (CLIP_benchmark's zeroshot_retrieval, src/metrics/retrieval.ts)
 * on a captioned dataset. An image shift corrupts the images and a text shift (`--text-shift`)
 * the captions, each seeded by (image id, caption), as Qiu et al. 2022 perturb one side at a time.
 * Images that fail to decode are skipped with their captions.
 * Its result record (metrics schema, result member, index.csv columns) is src/results/tasks/retrieval.ts.
 */
export const retrievalTask: EnvelopeTaskSpec = {
  id: 'zeroshot_retrieval',
  title: 'zero-shot image–text retrieval: recall@1/5/10 both ways (CLIP_benchmark)',
  needs: 'captioned',
  // Recall ranks every image against every caption: an item range alone has no metric.
  splitsItems: false,
  // --group-by adds per-group metrics: a result without them is not the one asked for.
  identity: (o) => (o.groupBy.length > 0 ? { groupBy: o.groupBy } : null),
  async open(input) {
    // Captions by id from one cheap pass (no decoding); images come through the lane's stream.
    const captions = new Map<string, string[]>();
    for await (const s of input.dataset.samples({ signal: input.signal })) if (s.captions) captions.set(s.id, s.captions);
    // Read before any inference, so a --group-by field the dataset lacks fails fast.
    const meta = input.options.groupBy.length > 0 ? await readItemMetadata(input.dataset, input.options.groupBy, input.signal) : null;
    const images = new BatchSet(input.model.info.embedDim);
    return {
      add: (batch) => images.add(batch),
      async finish() {
        const set = images.set();
        if (set.ids.length === 0) throw new ZeroshiftError('DATASET', `${input.dataset.spec}: no image could be embedded for retrieval`);
        const texts: string[] = [];
        const textImage: number[] = [];
        set.ids.forEach((id, i) => {
          for (const c of captions.get(id) ?? []) {
            texts.push(input.shiftText(c, id));
            textImage.push(i);
          }
        });
        const t = await embedTexts(input.model, texts, input.textCache, { signal: input.signal, onEmbedded: (n) => input.textsEmbedded?.(n) });
        const ranks = retrievalRanks({ images: set.x, texts: t.x, dim: set.dim, textImage: Int32Array.from(textImage) });
        const retrieval: NonNullable<TaskScore['retrieval']> = retrievalMetricsFromRanks(ranks.imageRanks, ranks.textRanks);
        if (meta) {
          // Keyed by user-chosen field names: a null prototype keeps a field named `__proto__`.
          retrieval.groups = Object.create(null) as NonNullable<typeof retrieval.groups>;
          for (const field of input.options.groupBy) retrieval.groups[field] = retrievalGroups(ranks.imageRanks, ranks.textRanks, Int32Array.from(textImage), set.ids.map((id) => groupValue(meta.get(id), field)));
        }
        return { retrieval, texts: { computed: t.computed, cached: t.cached } };
      },
    };
  },
  summary: {
    columns: ['model', 'dataset', 'shift', 'images', 'texts', 'img R@1', 'img R@5', 'txt R@1', 'txt R@5', 'mean R@1', 'partial'],
    row(r) {
      const m = r.retrieval!;
      const rec = m.recall;
      return [modelLabel(r.model), r.dataset.name, shiftsLabel(r), String(m.nImages), String(m.nTexts), pct(rec['image_retrieval_recall@1']?.value), pct(rec['image_retrieval_recall@5']?.value), pct(rec['text_retrieval_recall@1']?.value), pct(rec['text_retrieval_recall@5']?.value), pct(m.meanRecallAt1), r.partial ? 'yes' : ''];
    },
  },
};
