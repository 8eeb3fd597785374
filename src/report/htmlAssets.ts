/** Inline CSS and script of report.html (no external assets: the file must work offline). */

export const HTML_STYLE = `
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Liberation Sans',sans-serif;color:#222;margin:0;background:#fff}
main{max-width:1100px;margin:0 auto;padding:1rem}
h1{font-size:1.6rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
.scroll{overflow-x:auto;margin:.5rem 0}
table{border-collapse:collapse;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;white-space:nowrap}
th{background:#f4f4f4;cursor:pointer;user-select:none}
th[aria-sort=ascending]::after{content:' ▲'}th[aria-sort=descending]::after{content:' ▼'}
td.num{text-align:right;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:.2rem 0}
figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.85rem;color:#555}
.note{color:#555;font-size:.9rem}
.gallery{display:flex;flex-wrap:wrap;gap:.5rem}
.card{border:1px solid #ddd;padding:.4rem;width:11rem;font-size:.85rem;overflow-wrap:anywhere}
.card img{width:100%;image-rendering:pixelated}
.noimg{height:4rem;background:#f4f4f4;color:#888;display:flex;align-items:center;justify-content:center}
.card ol{margin:.2rem 0;padding-left:1.2rem}
.takeaway{font-size:1.05rem;background:#f3f7fb;border-left:4px solid #0072B2;padding:.4rem .7rem}
table.summary th[scope=row]{text-align:left;background:#fafafa}
table.summary thead th{white-space:normal;vertical-align:bottom;max-width:9rem}
.ci{color:#666;font-size:.8rem}
table.summary .over{display:block;white-space:normal;max-width:11rem;font-size:.75rem;line-height:1.25}
.figgrid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:.75rem}
.figgrid figure{margin:0}
.heatgrid{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-start}
.heatmap{margin:0;max-width:100%;overflow-x:auto}.heatmap caption{white-space:normal}
.fit thead th{white-space:normal;vertical-align:bottom;max-width:7rem}.heatmap table{font-size:.8rem}.heatmap td,.heatmap th{padding:.1rem .35rem}
td.heat{min-width:2.6rem}td.na{color:#999;text-align:center}
tr.clean th,tr.clean td{border-top:2px solid #888}
details{margin:.6rem 0;border:1px solid #e3e3e3;border-radius:4px;padding:.3rem .6rem}
details>summary{cursor:pointer;font-weight:600;color:#333}
details[open]>summary{margin-bottom:.4rem}
@media print{
  body{font-size:10pt}main{max-width:none;padding:0}
  details{border:none;padding:0}details>summary{display:none}
  details:not([open])>*:not(summary){display:block}
  .figgrid,.heatgrid{display:block}
  figure,table,.heatmap,.card{break-inside:avoid}
  h2{break-after:avoid}
  th{cursor:auto}th[aria-sort]::after{content:''}
  a{color:inherit;text-decoration:none}
  .heat{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`;

/**
 * Click-to-sort for every table.sortable (numeric when both cells parse as numbers), and
 * collapsed sections opened for printing so paper gets everything.
 */
export const HTML_SCRIPT = `
window.addEventListener('beforeprint', function () { document.querySelectorAll('details').forEach(function (d) { d.setAttribute('data-was-open', d.open ? '1' : ''); d.open = true; }); });
window.addEventListener('afterprint', function () { document.querySelectorAll('details').forEach(function (d) { d.open = d.getAttribute('data-was-open') === '1'; }); });
document.querySelectorAll('table.sortable th').forEach(function (th) {
  th.addEventListener('click', function () {
    var table = th.closest('table'), body = table.tBodies[0], col = th.cellIndex;
    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    var key = function (tr) { var c = tr.cells[col]; return c ? (c.getAttribute('data-value') || c.textContent.replace('−', '-')) : ''; };
    Array.from(body.rows).sort(function (a, b) {
      var x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
      return dir * (!isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y));
    }).forEach(function (tr) { body.appendChild(tr); });
  });
});
`;
