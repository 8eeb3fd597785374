import type { FamilyDef, VariantDef } from './families.js';

/** CIFAR-10-C's 19 corruptions (Hendrycks & Dietterich), one .npy file each. */
export const CIFAR10C_CORRUPTIONS: readonly string[] = [
  'brightness', 'contrast', 'defocus_blur', 'elastic_transform', 'fog', 'frost', 'gaussian_blur',
  'gaussian_noise', 'glass_blur', 'impulse_noise', 'jpeg_compression', 'motion_blur', 'pixelate',
  'saturate', 'shot_noise', 'snow', 'spatter', 'speckle_noise', 'zoom_blur',
];

const plain = { subset: null, mapping: null, protocol: null } as const;

const cifar10c: VariantDef[] = CIFAR10C_CORRUPTIONS.flatMap((c) =>
  [1, 2, 3, 4, 5].map((s) => ({
    id: `cifar10-c-${c.replace(/_/g, '-')}-${s}`,
    summary: `CIFAR-10-C ${c} severity ${s} (10,000 images)`,
    specTemplate: `npy:{dataDir}/CIFAR-10-C?corruption=${c}&severity=${s}`,
    isStandard: false,
    promptKey: 'cifar10',
    ...plain,
  })),
);

/** Variants `<prefix>-<corruption>-<severity>` of a published ImageNet-C style tree under the data dir. */
const cTree = (prefix: string, dir: string, title: string, subset: 'tiny-imagenet' | null): VariantDef[] =>
  CIFAR10C_CORRUPTIONS.flatMap((c) =>
    [1, 2, 3, 4, 5].map((s) => ({
      id: `${prefix}-${c.replace(/_/g, '-')}-${s}`,
      summary: `${title} ${c} severity ${s}`,
      specTemplate: `imagenet-c:{dataDir}/${dir}?corruption=${c}&severity=${s}`,
      isStandard: false,
      promptKey: 'imagenet',
      subset,
      mapping: null,
      protocol: subset ? 'logits restricted to the 200 Tiny-ImageNet synsets; top-1 over those' : null,
    })),
  );

const shapesVariant = (world: string, isStandard: boolean, summary: string): VariantDef => ({
  id: `shapes-${world}`,
  summary,
  specTemplate: `shapes:${world}?n=1000&seed=0&task=shape`,
  isStandard,
  promptKey: 'shapes-shape',
  ...plain,
});

export const FAMILY_DATA: readonly FamilyDef[] = [
  {
    id: 'shapes',
    summary: 'synthetic shapes world (docs/WORLD.md): standard test set and its shifted worlds',
    syntheticCorruptions: true,
    variants: [
      shapesVariant('standard', true, 'shapes as in training'),
      shapesVariant('dark', false, 'dark backgrounds'),
      shapesVariant('sketch', false, 'outline renderings'),
      shapesVariant('heldout', false, 'held-out colours and textures'),
    ],
  },
  {
    id: 'cifar10',
    summary: 'CIFAR-10 test set, its reproduction CIFAR-10.1 and the CIFAR-10-C corruptions',
    syntheticCorruptions: false,
    variants: [
      { id: 'cifar10', summary: 'CIFAR-10 test (10,000 images)', specTemplate: 'cifar:{dataDir}/cifar-10-batches-bin', isStandard: true, promptKey: 'cifar10', ...plain },
      {
        id: 'cifar10.1', summary: 'CIFAR-10.1 v6 (2,000 new test images)',
        specTemplate: 'npy:{dataDir}/cifar-10.1?images=cifar10.1_v6_data.npy&labels=cifar10.1_v6_labels.npy',
        isStandard: false, promptKey: 'cifar10', ...plain,
      },
      ...cifar10c,
    ],
  },
  {
    id: 'imagenet',
    summary: 'ImageNet validation set and the natural distribution shifts of the CLIP paper',
    syntheticCorruptions: false,
    variants: [
      { id: 'imagenet', summary: 'ILSVRC2012 validation (50,000 images, synset folders)', specTemplate: 'folder:{dataDir}/imagenet/val', isStandard: true, promptKey: 'imagenet', ...plain },
      { id: 'imagenetv2', summary: 'ImageNetV2 matched-frequency (10,000; folders named 0..999)', specTemplate: 'folder:{dataDir}/imagenetv2-matched-frequency?labels=numeric', isStandard: false, promptKey: 'imagenet', ...plain },
      { id: 'imagenet-sketch', summary: 'ImageNet-Sketch (50,889; synset folders)', specTemplate: 'folder:{dataDir}/imagenet-sketch', isStandard: false, promptKey: 'imagenet', ...plain },
      {
        id: 'imagenet-r', summary: 'ImageNet-R renditions (30,000; 200 synset folders)', specTemplate: 'folder:{dataDir}/imagenet-r',
        isStandard: false, promptKey: 'imagenet', subset: 'imagenet-r', mapping: null,
        protocol: 'imagenet-testbed: logits restricted to the 200 ImageNet-R classes; top-1 over those',
      },
      {
        id: 'imagenet-a', summary: 'ImageNet-A natural adversarial (7,500; 200 synset folders)', specTemplate: 'folder:{dataDir}/imagenet-a',
        isStandard: false, promptKey: 'imagenet', subset: 'imagenet-a', mapping: null,
        protocol: 'imagenet-testbed: logits restricted to the 200 ImageNet-A classes; top-1 over those',
      },
      {
        id: 'objectnet', summary: 'ObjectNet 1.0, the 113 classes that overlap ImageNet (class folders)', specTemplate: 'folder:{dataDir}/objectnet-1.0/images',
        isStandard: false, promptKey: 'imagenet', subset: null, mapping: 'objectnet',
        protocol:
          'imagenet-testbed objectnet: logits restricted to the ImageNet classes mapped from the 113 overlapping ObjectNet classes; ' +
          'a prediction is correct when it is any ImageNet class mapped to the true ObjectNet class; images of the other ObjectNet classes are not scored; ' +
          'the reference crops a 2-pixel border from each image before preprocessing',
      },
      ...cTree('imagenet-c', 'imagenet-c', 'ImageNet-C (50,000; synset folders)', null),
    ],
  },
  {
    id: 'tiny-imagenet',
    summary: 'Tiny-ImageNet validation set (200 ImageNet synsets, 64 px) and the Tiny-ImageNet-C corruptions',
    syntheticCorruptions: false,
    variants: [
      {
        id: 'tiny-imagenet', summary: 'Tiny-ImageNet validation (10,000 images)', specTemplate: 'tiny-imagenet:{dataDir}/tiny-imagenet-200',
        isStandard: true, promptKey: 'imagenet', subset: 'tiny-imagenet', mapping: null,
        protocol: 'logits restricted to the 200 Tiny-ImageNet synsets; top-1 over those',
      },
      ...cTree('tiny-imagenet-c', 'Tiny-ImageNet-C', 'Tiny-ImageNet-C (10,000; 200 synset folders)', 'tiny-imagenet'),
    ],
  },
  {
    id: 'mnist',
    summary: 'MNIST test set; shifted variants are the synthetic corruptions',
    syntheticCorruptions: true,
    variants: [{ id: 'mnist', summary: 'MNIST test (10,000 images)', specTemplate: 'mnist:{dataDir}/mnist?split=test', isStandard: true, promptKey: 'mnist', ...plain }],
  },
];
