import { describe, expect, it } from 'vitest';
import { datasetsForSuite, expandNames, findDataset, parseManifest, shippedManifest } from '../../src/prepare/manifest.js';

describe('shipped manifest', () => {
  it('validates and covers the required datasets', () => {
    const m = shippedManifest();
    const ids = m.datasets.map((d) => d.id);
    for (const id of ['cifar10', 'cifar100', 'cifar10.1', 'cifar10-c', 'mnist', 'fashion-mnist', 'imagenetv2',
      'imagenet-r', 'imagenet-a', 'imagenet-sketch', 'imagenet', 'objectnet', 'wds/imagenetv2']) {
      expect(ids).toContain(id);
    }
  });

  it('uses the layout directory names the adapters expect', () => {
    expect(findDataset('cifar10').layoutDir).toBe('cifar-10-batches-bin');
    expect(findDataset('cifar10-c').layoutDir).toBe('CIFAR-10-C');
    expect(findDataset('wds/vtab/cifar10').layoutDir).toBe('wds/vtab-cifar10');
  });

  it('maps suites to datasets', () => {
    expect(datasetsForSuite('cifar10-robustness')).toEqual(['cifar10', 'cifar10.1', 'cifar10-c']);
    expect(datasetsForSuite('imagenet-robustness')).toContain('objectnet');
    expect(() => datasetsForSuite('nope')).toThrow(/unknown suite 'nope'; known: cifar10-robustness, datacomp-38, imagenet-robustness/);
  });

  it('expands names and suites without duplicates', () => {
    expect(expandNames(['cifar10', 'cifar10-robustness'])).toEqual(['cifar10', 'cifar10.1', 'cifar10-c']);
    expect(() => expandNames(['cifar11'])).toThrow(/unknown dataset or suite 'cifar11'/);
  });
});

describe('parseManifest', () => {
  const base = JSON.parse(JSON.stringify(shippedManifest())) as { datasets: Record<string, unknown>[]; suites: Record<string, string[]> };

  it('refuses an entry without checksum and without a note', () => {
    const m = structuredClone(base);
    const files = m.datasets[0].files as Record<string, unknown>[];
    files[0].checksum = null;
    expect(() => parseManifest(m, 'x.json')).toThrow(/checksumNote/);
  });

  it('refuses a suite naming an unknown dataset', () => {
    const m = structuredClone(base);
    m.suites.broken = ['cifar10', 'missing'];
    expect(() => parseManifest(m, 'x.json')).toThrow(/suite 'broken' names unknown dataset 'missing'/);
  });
});
