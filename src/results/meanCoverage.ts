import type { SuiteAveragesFile } from './suiteAverages.js';

/** "mean of 6 of 7": how many of its members an average covers for one model (null when the file does not list members). */
export function meanCoverage(file: Pick<SuiteAveragesFile, 'members'>, model: Pick<SuiteAveragesFile['models'][number], 'missing'>, group: string): string | null {
  const of = file.members?.[group]?.length;
  if (of === undefined) return null;
  return `mean of ${of - (model.missing[group]?.length ?? 0)} of ${of}`;
}
