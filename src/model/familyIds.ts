/** Short ids of the model families zeroshift knows (docs/models.md has one section per family). */
export const FAMILIES = ['clip', 'siglip', 'siglip2', 'chinese-clip', 'jina-clip', 'mobileclip', 'open-clip'] as const;
export type FamilyId = (typeof FAMILIES)[number];
