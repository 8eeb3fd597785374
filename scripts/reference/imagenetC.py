#!/usr/bin/env python3
"""Goldens from the published ImageNet-C generators themselves (hendrycks/robustness
ImageNet-C/create_c/make_imagenet_c.py, make_tinyimagenet_c.py, make_cifar_c.py).

The generator scripts are read from a checkout whose path is given on the command line (never
copied into zeroshift): each file is executed up to its "End Distortions" marker, i.e. its
imports, helpers and corruption functions, without the data loop that follows. They import
torch/torchvision only for that data loop, so empty stand-in modules are registered for those
names. Everything else is Debian's: numpy 1.24, scipy 1.10, scikit-image 0.19, OpenCV 4.6.

Run once (Debian: apt-get install python3-numpy python3-scipy python3-opencv python3-skimage
python3-pil python3-wand imagemagick; then use /usr/bin/python3):
  /usr/bin/python3 scripts/reference/imagenetC.py /path/to/hendrycks-robustness test/shifts/golden/published

Writes one JSON file per corruption: the seeded input image, the published output as bytes
(np.uint8 of the returned float image: the truncation make_*_c.py save with) and, for the
defocus kernel, the float32 kernels and their sums.
"""
import base64
import json
import os
import sys
import types

import numpy as np

# The three published sets and the square side each generator assumes.
SETS = {
    'imagenet-c': ('make_imagenet_c.py', 224),
    'tiny-imagenet-c': ('make_tinyimagenet_c.py', 64),
    'cifar-10-c': ('make_cifar_c.py', 32),
}


def load_generator(path):
    """The generator's functions: its source up to the data loop, executed in a fresh namespace."""
    for name in ['torch', 'torchvision', 'torchvision.datasets', 'torchvision.transforms', 'torch.utils', 'torch.utils.data']:
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules['torch.utils.data'].Dataset = object
    with open(path) as f:
        src = f.read()
    end = src.index('# /////////////// End Distortions')
    ns = {'__name__': 'published_generator'}
    exec(compile(src[:end], path, 'exec'), ns)
    return ns


def test_image(side, seed):
    """A seeded RGB square: gradients, a bright disc, a dark bar and mild noise (compresses, has edges)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:side, 0:side] / side
    r = 40 + 170 * x
    g = 60 + 150 * y
    b = 128 + 100 * np.sin(6 * x + 3 * y)
    disc = (x - 0.6) ** 2 + (y - 0.4) ** 2 < 0.05
    bar = (np.abs(x - 0.25) < 0.08) & (y > 0.3)
    img = np.stack([r, g, b], axis=2)
    img[disc] = [250, 245, 200]
    img[bar] = [15, 20, 30]
    img += rng.normal(0, 6, img.shape)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def b64(a, dtype):
    return base64.b64encode(np.ascontiguousarray(a, dtype=dtype).ravel().tobytes()).decode()


def defocus(gen, side, seed):
    # every generator's defocus_blur table, read from its source by running it: the kernels it
    # builds for each severity are what the golden records
    img = test_image(side, seed)
    out = {'side': side, 'image': b64(img, np.uint8), 'severities': []}
    for severity in range(1, 6):
        res = gen['defocus_blur'](img, severity)
        out['severities'].append({'severity': severity, 'out': b64(np.uint8(res), np.uint8)})
    return out


def disk_kernels(gen, cases):
    """The float32 kernels of disk(radius, alias_blur) for (radius, alias_blur) cases."""
    rows = []
    for radius, alias in cases:
        k = gen['disk'](radius, alias)
        rows.append({'radius': radius, 'alias': alias, 'size': int(k.shape[0]), 'kernel': b64(k, '<f4'),
                     'sum': float(k.astype(np.float64).sum())})
    return rows


def main():
    checkout, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    gens = {k: load_generator(os.path.join(checkout, 'ImageNet-C', 'create_c', f)) for k, (f, _) in SETS.items()}
    # the published tables (radius, alias σ) plus radii a 'scaled' run makes at other sizes
    cases = [(3, 0.1), (4, 0.5), (6, 0.5), (8, 0.5), (10, 0.5),
             (0.5, 0.6), (1, 0.1), (1.5, 0.1), (2.5, 0.01), (3, 0.1),
             (0.3, 0.4), (0.4, 0.5), (1, 0.2),
             (0.857, 0.029), (1.714, 0.143), (4.571, 0.286), (6.857, 0.286), (9.143, 0.286)]
    defocus_ref = {
        'generator': 'hendrycks/robustness ImageNet-C/create_c',
        'kernels': disk_kernels(gens['imagenet-c'], cases),
        # ImageNet-C's parameters on a small image (defocus_blur does not depend on the side),
        # and each smaller set at its own side
        'sets': {
            'imagenet-c': defocus(gens['imagenet-c'], 40, 11),
            'tiny-imagenet-c': defocus(gens['tiny-imagenet-c'], 64, 12),
            'cifar-10-c': defocus(gens['cifar-10-c'], 32, 13),
        },
    }
    with open(os.path.join(out_dir, 'defocus_blur.json'), 'w') as f:
        json.dump(defocus_ref, f, separators=(',', ':'))


if __name__ == '__main__':
    main()
