import type { RawImage } from './rawImage.js';

/** Where a sample's image comes from: a file, encoded bytes (e.g. a tar entry), or pixels. */
export type ImageSource =
  | { kind: 'path'; path: string }
  | { kind: 'bytes'; bytes: Uint8Array; name: string }
  | { kind: 'raw'; image: RawImage }
  /**
   * Pixels rendered on demand by a deterministic generator. `key` identifies the image
   * (generator fingerprint + item), so a warm cache never renders it.
   */
  | { kind: 'generated'; key: string; render(): RawImage };
