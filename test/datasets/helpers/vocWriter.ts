import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

/** One image of a generated VOC2007 folder: its colour and its objects (name, difficult). */
export interface VocImage {
  id: string;
  rgb: [number, number, number];
  objects: { name: string; difficult?: boolean; parts?: string[] }[];
}

/** An annotation in the VOC2007 devkit's exact XML layout (as in Annotations/000001.xml). */
function annotationXml(img: VocImage): string {
  const objects = img.objects.map((o) => `\t<object>
\t\t<name>${o.name}</name>
\t\t<pose>Unspecified</pose>
\t\t<truncated>0</truncated>
\t\t<difficult>${o.difficult ? 1 : 0}</difficult>
\t\t<bndbox>
\t\t\t<xmin>2</xmin>
\t\t\t<ymin>3</ymin>
\t\t\t<xmax>40</xmax>
\t\t\t<ymax>41</ymax>
\t\t</bndbox>
${(o.parts ?? []).map((p) => `\t\t<part>
\t\t\t<name>${p}</name>
\t\t\t<bndbox>
\t\t\t\t<xmin>5</xmin>
\t\t\t\t<ymin>5</ymin>
\t\t\t\t<xmax>9</xmax>
\t\t\t\t<ymax>9</ymax>
\t\t\t</bndbox>
\t\t</part>
`).join('')}\t</object>
`).join('');
  return `<annotation>
\t<folder>VOC2007</folder>
\t<filename>${img.id}.jpg</filename>
\t<source>
\t\t<database>The VOC2007 Database</database>
\t\t<annotation>PASCAL VOC2007</annotation>
\t\t<image>flickr</image>
\t</source>
\t<size>
\t\t<width>48</width>
\t\t<height>48</height>
\t\t<depth>3</depth>
\t</size>
\t<segmented>0</segmented>
${objects}</annotation>
`;
}

/**
 * Writes `root/VOCdevkit/VOC2007/{Annotations,ImageSets/Main,JPEGImages}` as the devkit tars
 * extract: per-category `<cat>_<split>.txt` lists ('000001  1' / '-1' / ' 0' columns) and JPEGs.
 */
export async function writeVoc(root: string, images: VocImage[], split = 'test'): Promise<void> {
  const base = join(root, 'VOCdevkit', 'VOC2007');
  for (const d of ['Annotations', join('ImageSets', 'Main'), 'JPEGImages']) mkdirSync(join(base, d), { recursive: true });
  for (const img of images) {
    writeFileSync(join(base, 'Annotations', `${img.id}.xml`), annotationXml(img));
    await sharp({ create: { width: 48, height: 48, channels: 3, background: { r: img.rgb[0], g: img.rgb[1], b: img.rgb[2] } } }).jpeg({ quality: 95 }).toFile(join(base, 'JPEGImages', `${img.id}.jpg`));
  }
  for (const cat of ['aeroplane', 'person', 'dog']) {
    const lines = images.map((img) => {
      const o = img.objects.filter((x) => x.name === cat);
      const flag = o.length === 0 ? '-1' : o.every((x) => x.difficult) ? ' 0' : ' 1';
      return `${img.id} ${flag}`;
    });
    writeFileSync(join(base, 'ImageSets', 'Main', `${cat}_${split}.txt`), `${lines.join('\n')}\n`);
  }
  writeFileSync(join(base, 'ImageSets', 'Main', `${split}.txt`), `${images.map((i) => i.id).join('\n')}\n`);
}
