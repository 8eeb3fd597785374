/** An axis-aligned box in canvas pixels: top-left corner and size. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A label to place beside its point: the point's pixel position, the marker's radius and the text's size. */
export interface LabelRequest {
  px: number;
  py: number;
  /** Radius of the point's marker (px). */
  r: number;
  w: number;
  h: number;
}

/** Where a label goes; `leader` when it sits away from its point and needs a line back to it. */
export interface PlacedLabel {
  box: Box;
  leader: boolean;
}

/** Space kept between a label and a marker, another label or the plot's edge (px). */
const PAD = 2;
/** Gap between a marker and a label beside it (px). */
const GAP = 4;
/** How far (px) a label may move from its point along a leader line, up or down. */
const MAX_SHIFT = 240;
/** Sideways distance (px) of a label on a leader line beyond the place beside its marker. */
const LEADER_OUT = 10;

/** Whether boxes `a` and `b` overlap once `a` is grown by `pad` on every side. */
export function boxesOverlap(a: Box, b: Box, pad = 0): boolean {
  return a.x - pad < b.x + b.w && b.x < a.x + a.w + pad && a.y - pad < b.y + b.h && b.y < a.y + a.h + pad;
}

/** The square around a marker of radius `r` at (px, py). */
export function markerBox(px: number, py: number, r: number): Box {
  return { x: px - r, y: py - r, w: 2 * r, h: 2 * r };
}

/** Positions to try for one label, nearest first: beside, above and below its marker, then further up or down on a leader line. */
function candidates(l: LabelRequest): PlacedLabel[] {
  const right = l.px + l.r + GAP;
  const left = l.px - l.r - GAP - l.w;
  const mid = l.py - l.h / 2;
  const out: PlacedLabel[] = [
    { box: { x: right, y: mid, w: l.w, h: l.h }, leader: false },
    { box: { x: left, y: mid, w: l.w, h: l.h }, leader: false },
    { box: { x: l.px - l.w / 2, y: l.py - l.r - GAP - l.h, w: l.w, h: l.h }, leader: false },
    { box: { x: l.px - l.w / 2, y: l.py + l.r + GAP, w: l.w, h: l.h }, leader: false },
    { box: { x: right, y: l.py - l.r - l.h, w: l.w, h: l.h }, leader: false },
    { box: { x: right, y: l.py + l.r, w: l.w, h: l.h }, leader: false },
    { box: { x: left, y: l.py - l.r - l.h, w: l.w, h: l.h }, leader: false },
    { box: { x: left, y: l.py + l.r, w: l.w, h: l.h }, leader: false },
  ];
  const step = l.h / 2 + PAD;
  for (let dy = step; dy <= MAX_SHIFT; dy += step) {
    for (const sign of [-1, 1]) {
      // Set out sideways by LEADER_OUT so the leader line leaves the marker at a visible angle.
      for (const x of [right + LEADER_OUT, left - LEADER_OUT]) out.push({ box: { x, y: mid + sign * dy, w: l.w, h: l.h }, leader: true });
    }
  }
  return out;
}

/**
 * Places labels one by one (in the order given) at the nearest position that stays inside
 * `area` and overlaps no marker (`obstacles`: every point of the chart, each label's own
 * included) and no label placed before it. A label with no such position gets null: the chart
 * then labels its points by number and lists the names in its legend.
 */
export function placeLabels(labels: readonly LabelRequest[], obstacles: readonly Box[], area: Box): (PlacedLabel | null)[] {
  const taken: Box[] = [...obstacles];
  const inside = (b: Box): boolean => b.x >= area.x + PAD && b.y >= area.y + PAD && b.x + b.w <= area.x + area.w - PAD && b.y + b.h <= area.y + area.h - PAD;
  return labels.map((l) => {
    const found = candidates(l).find((c) => inside(c.box) && !taken.some((t) => boxesOverlap(c.box, t, PAD)));
    if (found) taken.push(found.box);
    return found ?? null;
  });
}
