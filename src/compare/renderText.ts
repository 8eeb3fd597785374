import { escapeMd } from '../report/format.js';
import { pct, signedPoints } from '../util/numberFormat.js';
import { textTable } from '../util/textTable.js';
import { modelLabel } from '../results/modelLabel.js';
import { unitLabel } from './pairUp.js';
import type { CompareReport, CompareUnitRecord } from './schema.js';

/** p as 0.0123, or 1.2e-5 below 1e-4. */
export function pText(p: number): string {
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

/** "+2.5 [−0.3, +5.1]": the difference and its interval in signed points. */
export function differenceText(u: CompareUnitRecord): string {
  return `${signedPoints(u.difference.estimate)} [${signedPoints(u.difference.ci[0])}, ${signedPoints(u.difference.ci[1])}]`;
}

/** How side `which` is named: its models (with dtype and provider when not fp32 on cpu), and its prompt sets when the sides differ in them. */
export function sideName(r: CompareReport, which: 'a' | 'b'): string {
  const s = r[which];
  const names = s.models.map((m) => modelLabel(m));
  const models = names.length <= 2 ? names.join(', ') : `${names.slice(0, 2).join(', ')} … (${names.length} models)`;
  return r.a.prompts.join() === r.b.prompts.join() ? models : `${models} · ${s.prompts.join(', ')}`;
}

const shiftText = (u: { key: CompareUnitRecord['key'] }): string => `${u.key.shift ? `${u.key.shift.corruption}:${u.key.shift.severity}` : '-'}${u.key.textShift ? ` + text ${u.key.textShift.name}:${u.key.textShift.severity}` : ''}`;

function rows(r: CompareReport): string[][] {
  return r.units.map((u) => [u.key.dataset, shiftText(u), u.key.prompts, String(u.n), pct(u.accA), pct(u.accB), differenceText(u), pText(u.mcnemarP), String(u.table.onlyA), String(u.table.onlyB)]);
}

const HEADER = ['dataset', 'shift', 'prompts', 'n', 'A top-1 %', 'B top-1 %', 'B − A pts [95% CI]', 'McNemar p', 'A✓B✗', 'A✗B✓'];

/** The terminal table: one row per unit, then the units left out. */
export function compareTable(r: CompareReport): string {
  const lines = [`A: ${sideName(r, 'a')}   B: ${sideName(r, 'b')}`, textTable(HEADER, rows(r), 3)];
  if (r.unpaired.length > 0) lines.push(unpairedLines(r).join('\n'));
  return lines.join('\n\n');
}

function unpairedLines(r: CompareReport): string[] {
  return [`Not compared (${r.unpaired.length} unit(s) on one side only):`, ...r.unpaired.map((u) => `  only in ${u.side.toUpperCase()}: ${unitLabel(u.key)}  (${u.file})`)];
}

/** compare.md: the same table, then per unit the classes that moved and the flipped items. */
export function compareMarkdown(r: CompareReport): string {
  const md = (cells: readonly string[]): string => `| ${cells.map(escapeMd).join(' | ')} |`;
  const out = [
    `# Paired comparison: ${escapeMd(sideName(r, 'a'))} (A) vs ${escapeMd(sideName(r, 'b'))} (B)`, '',
    `B − A in top-1 points with Newcombe's paired ${Math.round(r.confidence * 100)} % interval; McNemar's exact p over the items the two got differently. A✓B✗: items A got right and B wrong.`, '',
    md(HEADER), `|${HEADER.map((_, i) => (i >= 3 ? ' ---: ' : ' --- ')).join('|')}|`, ...rows(r).map(md),
  ];
  if (r.unpaired.length > 0) out.push('', `**Not compared** (${r.unpaired.length} unit(s) on one side only):`, '', ...r.unpaired.map((u) => `- only in ${u.side.toUpperCase()}: ${escapeMd(unitLabel(u.key))} (\`${u.file}\`)`));
  for (const u of r.units) {
    if (u.classes.length === 0 && u.lost.length === 0 && u.gained.length === 0) continue;
    out.push('', `## ${escapeMd(unitLabel(u.key))}`, '');
    if (u.classes.length > 0) {
      out.push('Classes that moved most:', '', md(['class', 'n', 'A %', 'B %', 'B − A pts']), '| --- | ---: | ---: | ---: | ---: |',
        ...u.classes.map((c) => md([c.name, String(c.n), pct(c.accA), pct(c.accB), signedPoints(c.change)])), '');
    }
    for (const [title, list, count] of [['A right, B wrong', u.lost, u.table.onlyA], ['A wrong, B right', u.gained, u.table.onlyB]] as const) {
      if (list.length === 0) continue;
      out.push(`${title} (${list.length} of ${count} shown):`, '', md(['item', 'label', 'A predicted', 'B predicted']), '| --- | --- | --- | --- |',
        ...list.map((f) => md([f.id, f.label, `${f.a.predicted} (${pct(f.a.score)} %)`, `${f.b.predicted} (${pct(f.b.score)} %)`])), '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
