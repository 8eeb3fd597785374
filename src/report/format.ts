/** Text escaping shared by the HTML, Markdown and CSV writers (numbers: util/numberFormat.ts). */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Escapes text for a Markdown table cell: pipes, backslashes, HTML-significant characters, newlines. */
export function escapeMd(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[<>&*_`[\]]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}

/** A shift as the report writes it: `contrast@3`, or `none`. */
export function shiftText(shift: { corruption: string; severity: number } | null | undefined): string {
  return shift ? `${shift.corruption}@${shift.severity}` : 'none';
}

/** The image shift, then the text shift when there is one: `none · text typo:3`, `fog@3 · text typo:3`. */
export function shiftsText(r: { shift: { corruption: string; severity: number } | null | undefined; textShift?: { name: string; severity: number } }): string {
  return r.textShift ? `${shiftText(r.shift)} · text ${r.textShift.name}:${r.textShift.severity}` : shiftText(r.shift);
}
