import { z } from 'zod';

/** How a downloaded file becomes part of the layout. */
export const ARCHIVE_FORMATS = ['tar', 'tar.gz', 'zip', 'file'] as const;
export type ArchiveFormat = (typeof ARCHIVE_FORMATS)[number];

const checksumSchema = z.strictObject({
  algorithm: z.enum(['md5', 'sha256']),
  value: z.string().regex(/^[0-9a-f]+$/, 'lower-case hex digits'),
  /** Where the publisher gives this checksum (page or source file). */
  source: z.string().min(1),
});
export type Checksum = z.infer<typeof checksumSchema>;

/** One downloadable file of a dataset. */
export const fileEntrySchema = z
  .strictObject({
    url: z.url(),
    /** Name the file is saved under in the download area (and in the layout for `file`). */
    fileName: z.string().regex(/^[A-Za-z0-9._-]+$/, 'a plain file name'),
    /** Published size in bytes, when known. */
    size: z.number().int().positive().nullable(),
    checksum: checksumSchema.nullable(),
    /** Why there is no checksum (required when checksum is null). */
    checksumNote: z.string().optional(),
    format: z.enum(ARCHIVE_FORMATS),
    /** Top-level directory inside the archive whose contents form the layout ('' for none). */
    archiveRoot: z.string().optional(),
    /** Path inside the layout directory (for `file`); defaults to fileName. */
    target: z.string().optional(),
  })
  .refine((f) => f.checksum !== null || (f.checksumNote ?? '') !== '', {
    message: 'an entry without a checksum needs a checksumNote saying why',
  })
  .refine((f) => f.format === 'file' || f.archiveRoot !== undefined, {
    message: 'an archive entry needs archiveRoot (the directory it unpacks to; "" for none)',
  });
export type FileEntry = z.infer<typeof fileEntrySchema>;

const commonFields = {
  id: z.string().regex(/^[a-z0-9][a-z0-9._/-]*$/),
  title: z.string().min(1),
  publisher: z.string().min(1),
  homepage: z.url(),
  licence: z.string().min(1),
  /** Approximate size of the prepared layout on disk, for docs and `--list`. */
  sizeOnDisk: z.string().min(1),
  /** Directory under the data dir (the contract with the dataset adapters). */
  layoutDir: z.string().min(1),
  /**
   * Adapter spec reading the layout; `{dir}` is replaced by the absolute layout directory and
   * `{dir:ID}` by that of the required entry ID (SugarCrepe's annotations read COCO's images).
   */
  spec: z.string().includes('{dir}'),
  /** Files or directories (relative to layoutDir) that must exist once prepared. */
  requiredPaths: z.array(z.string().min(1)).min(1),
  /**
   * Entries this one reads from (prepared first, and needed for it to count as ready): shared
   * data such as COCO val2017, downloaded once for the seven SugarCrepe files.
   */
  requires: z.array(z.string().min(1)).min(1).optional(),
};

/** A dataset downloaded from its publisher's files. */
const downloadDatasetSchema = z.strictObject({
  ...commonFields,
  kind: z.literal('download'),
  files: z.array(fileEntrySchema).min(1),
});

/** A CLIP_benchmark WebDataset mirror on the Hugging Face Hub; shard count read from nshards.txt. */
const wdsDatasetSchema = z.strictObject({
  ...commonFields,
  kind: z.literal('wds'),
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
  revision: z.string().min(1),
  split: z.string().min(1),
  checksumNote: z.string().min(1),
});

/** A dataset the user must supply (licence terms forbid redistribution). */
const userDatasetSchema = z.strictObject({
  ...commonFields,
  kind: z.literal('user'),
  /** Step-by-step instructions printed by `prepare NAME`. */
  instructions: z.array(z.string().min(1)).min(1),
  /** Minimum number of class directories expected directly under layoutDir (or classRoot). */
  minClassDirs: z.number().int().positive(),
  /** Subdirectory of layoutDir holding the class directories ('' for layoutDir itself). */
  classRoot: z.string(),
});

export const datasetEntrySchema = z.discriminatedUnion('kind', [downloadDatasetSchema, wdsDatasetSchema, userDatasetSchema]);
export type DatasetEntry = z.infer<typeof datasetEntrySchema>;
export type DownloadDataset = z.infer<typeof downloadDatasetSchema>;
export type WdsDataset = z.infer<typeof wdsDatasetSchema>;
export type UserDataset = z.infer<typeof userDatasetSchema>;

export const manifestSchema = z
  .strictObject({
    version: z.literal(1),
    datasets: z.array(datasetEntrySchema).min(1),
    /** Suite name → dataset ids, in evaluation order. */
    suites: z.record(z.string(), z.array(z.string()).min(1)),
  })
  .superRefine((m, ctx) => {
    const ids = new Set<string>();
    for (const d of m.datasets) {
      if (ids.has(d.id)) ctx.addIssue({ code: 'custom', message: `dataset id '${d.id}' appears twice`, path: ['datasets'] });
      ids.add(d.id);
    }
    for (const d of m.datasets) {
      for (const r of d.requires ?? []) {
        if (!ids.has(r) || r === d.id) ctx.addIssue({ code: 'custom', message: `dataset '${d.id}' requires unknown dataset '${r}'`, path: ['datasets'] });
        else if (m.datasets.find((x) => x.id === r)?.requires?.length) ctx.addIssue({ code: 'custom', message: `dataset '${d.id}' requires '${r}', which itself requires others; requirements are one level deep`, path: ['datasets'] });
      }
      for (const [, r] of d.spec.matchAll(/\{dir:([^}]*)\}/g)) {
        if (!(d.requires ?? []).includes(r)) ctx.addIssue({ code: 'custom', message: `dataset '${d.id}': spec names {dir:${r}} but requires does not list '${r}'`, path: ['datasets'] });
      }
    }
    for (const [suite, members] of Object.entries(m.suites)) {
      for (const id of members) {
        if (!ids.has(id)) ctx.addIssue({ code: 'custom', message: `suite '${suite}' names unknown dataset '${id}'`, path: ['suites', suite] });
      }
    }
  });
export type Manifest = z.infer<typeof manifestSchema>;
