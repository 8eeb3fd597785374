import type { Prediction, Result } from '../results/schema.js';

/** Resolves an item's image as PNG bytes, or null when it cannot be found. */
export type ThumbnailResolver = (result: Result, itemId: string) => Promise<Buffer | null>;

/** One misclassified item: its label, the top-3 predictions and an optional thumbnail. */
export interface GalleryItem {
  id: string;
  label: string;
  top3: { name: string; score: number }[];
  /** `data:image/png;base64,...` when a thumbnail resolved. */
  thumbnail: string | null;
}

/** Failures of one shifted result. */
export interface GallerySection {
  result: Result;
  items: GalleryItem[];
}

/**
 * The `perResult` most confident mistakes of a result (ties by id, so the choice is stable):
 * the failures a reader learns most from. Mistakes are what the result's scoring protocol
 * judged incorrect (`correct`), never `top[0] !== label`: the two index spaces differ for
 * many-to-one mappings such as ObjectNet's.
 */
export function pickFailures(predictions: readonly Prediction[], perResult: number): Prediction[] {
  return predictions
    .filter((p) => p.top.length > 0 && !p.correct)
    .sort((a, b) => (b.scores[0] ?? 0) - (a.scores[0] ?? 0) || a.id.localeCompare(b.id))
    .slice(0, perResult);
}

/** Builds the gallery for every shifted result that has predictions. */
export async function buildGallery(
  results: readonly Result[],
  predictions: ReadonlyMap<string, Prediction[]>,
  thumbnails: ThumbnailResolver | undefined,
  perResult = 4,
): Promise<GallerySection[]> {
  const sections: GallerySection[] = [];
  for (const result of results) {
    if (result.dataset.isStandard && result.shift === null) continue;
    const preds = predictions.get(result.id);
    if (!preds) continue;
    // Predictions index the scored classes; labels index the dataset's own classes, which the
    // per-class table lists when the protocol maps labels many-to-one.
    const predicted = (i: number): string => result.dataset.classNames[i] ?? `class ${i}`;
    const labelNames = result.scoringProtocol.labelColumns ? result.perClass.map((c) => c.name) : result.dataset.classNames;
    const trueName = (i: number): string => labelNames[i] ?? `class ${i}`;
    const items: GalleryItem[] = [];
    for (const p of pickFailures(preds, perResult)) {
      const png = thumbnails ? await thumbnails(result, p.id) : null;
      items.push({
        id: p.id,
        label: trueName(p.label),
        top3: p.top.slice(0, 3).map((c, i) => ({ name: predicted(c), score: p.scores[i] ?? 0 })),
        thumbnail: png ? `data:image/png;base64,${png.toString('base64')}` : null,
      });
    }
    if (items.length > 0) sections.push({ result, items });
  }
  return sections;
}
