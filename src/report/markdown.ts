import { conditionLabel } from './conditions.js';
import { ciText, escapeMd as m, pct, signedPoints } from './format.js';
import { allRobustnessRows, headlineRows, overview, type ReportContent } from './reportContent.js';
import type { RobustnessRow } from './robustnessTable.js';

function mdTable(headers: string[], rows: string[][]): string {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function robustnessRows(rows: RobustnessRow[]): string[][] {
  return rows.map((r) => [
    m(r.result.model.name), m(r.result.prompts.name), m(conditionLabel(r.result)),
    pct(r.idResult.metrics.acc1), pct(r.result.metrics.acc1), ciText(r.result.metrics.acc1Ci), signedPoints(r.effectiveRobustness),
  ]);
}

const ROBUSTNESS_HEADERS = ['Model', 'Prompts', 'Shift', 'ID acc (%)', 'OOD acc (%)', 'OOD 95 % CI', 'Eff. robustness (pts)'];

/** The Markdown report: same sections as the HTML, charts linked as `charts/*.png`. */
export function renderMarkdown(content: ReportContent): string {
  const o = overview(content.results);
  const out: string[] = [`# ${m(content.title)}`, '', `Generated ${content.generatedAt} from ${content.results.length} results.`, '', '## Summary', ''];
  out.push(`- **Models:** ${o.models.map(m).join(', ')}`, `- **Datasets:** ${o.datasets.map(m).join(', ')}`, `- **Prompt sets:** ${o.prompts.map(m).join(', ')}`);
  out.push(`- **Corruptions:** ${o.corruptions.map(m).join(', ') || 'none'}`, `- **Baseline:** ${[...new Set(content.groups.map((g) => m(g.baselineSource)))].join('; ') || 'n/a'}`, '');
  out.push('### In-distribution accuracy', '', mdTable(['Model', 'Prompts', 'Dataset', 'Top-1 (%)', '95 % CI', 'n'],
    o.idResults.map((r) => [m(r.model.name), m(r.prompts.name), m(r.dataset.name), pct(r.metrics.acc1), ciText(r.metrics.acc1Ci), String(r.metrics.n)])), '');
  out.push('### Natural shifts: effective robustness', '',
    'Effective robustness = OOD accuracy − the accuracy predicted by a least-squares line through the baseline models in logit space (Taori et al. 2020). Accuracies of 0 or 100 % are clipped to 0.5/n and 1 − 0.5/n before the logit.', '',
    mdTable(ROBUSTNESS_HEADERS, robustnessRows(headlineRows(content))), '');
  out.push('## Charts', '');
  for (const c of content.charts) out.push(`![${m(c.spec.caption)}](${c.pngFile})`, '', `*${m(c.spec.caption)}* ([SVG](${c.svgFile}))`, '');
  const corr = allRobustnessRows(content).filter((r) => r.result.shift !== null);
  if (corr.length) out.push('## Corruptions: effective robustness', '', mdTable(ROBUSTNESS_HEADERS, robustnessRows(corr)), '');
  out.push('## All results', '', mdTable(['Model', 'Prompts', 'Dataset', 'Corruption', 'n', 'Top-1 (%)', '95 % CI', 'Top-5 (%)', 'ECE'],
    content.results.map((r) => [m(r.model.name), m(r.prompts.name), m(r.dataset.name), m(r.shift ? `${r.shift.corruption}@${r.shift.severity}` : 'none'), String(r.metrics.n), pct(r.metrics.acc1), ciText(r.metrics.acc1Ci), r.metrics.acc5 === undefined ? '' : pct(r.metrics.acc5), r.metrics.ece.toFixed(3)])), '');
  if (content.gallery.length) {
    out.push('## Failure gallery', '', 'Most confident mistakes per shifted run (images in report.html).', '');
    for (const s of content.gallery) {
      out.push(`### ${m(s.result.model.name)} · ${m(s.result.prompts.name)} · ${m(conditionLabel(s.result))}`, '',
        mdTable(['Item', 'True', 'Top-3 predictions'], s.items.map((it) => [m(it.id), m(it.label), it.top3.map((p) => `${m(p.name)} (${(p.score * 100).toFixed(1)} %)`).join(', ')])), '');
    }
  }
  out.push('## Run details', '', mdTable(['Model', 'Vision hash', 'Dataset', 'n', 'Fingerprint', 'Ensembling', 'Templates', 'Date', 'Command'],
    content.results.map((r) => [m(r.model.name), r.model.hashes.visionModel.slice(0, 12), m(r.dataset.name), String(r.metrics.n), r.dataset.fingerprint.slice(0, 12), r.prompts.ensembling, String(r.prompts.templates.length), r.createdAt, m(r.command.join(' '))])), '');
  const skipped = content.results.flatMap((r) => r.skipped.map((s) => [m(r.dataset.name), m(r.model.name), m(s.id), m(s.reason)]));
  out.push(`### Skipped items (${skipped.length})`, '', skipped.length ? mdTable(['Dataset', 'Model', 'Item', 'Reason'], skipped) : 'None.', '');
  return out.join('\n');
}
