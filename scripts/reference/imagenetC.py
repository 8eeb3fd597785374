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

Writes defocus_blur.json (the float32 disk() kernels and their sums; defocus outputs of each set)
and parameterSets.json: for each published set at its own side, crops of the deterministic
corruptions at severities 1-5; the four noise corruptions on a 6x6 image with the random draws
they made (recorded by standing in for numpy's global draws, and for the default_rng that
skimage's impulse noise makes); motion_blur with its drawn angle, both as the generator returns it
through Debian's ImageMagick 6.9.11 PNG round trip and as the same blur exported to PPM; spatter
and elastic_transform on a 12x12 image with their draws. Outputs
are np.uint8 of the returned image: the truncation make_*_c.py save with. endToEnd.json runs
jpeg_compression, fog, glass_blur, snow and frost (over seeded stand-ins for its photographs)
whole with numpy's global generator seeded, and keeps samples and a hash of each output (see
end_to_end).
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
    """A seeded RGB square in integer arithmetic only (test/shifts/publishedImage.ts makes the same
    bytes, so the goldens need not carry their inputs): gradients, a bright disc, a dark bar and a
    hashed ±8 texture."""
    img = np.zeros((side, side, 3), dtype=np.int64)
    for y in range(side):
        for x in range(side):
            n = [(((x * 131 + y * 71 + c * 29 + seed * 1013) * 2654435761) & 0xffffffff) >> 27 for c in range(3)]
            if (10 * x - 6 * side) ** 2 + (10 * y - 4 * side) ** 2 < 5 * side * side:
                base = [250, 245, 200]
            elif abs(40 * x - 10 * side) < 3 * side and 10 * y > 3 * side:
                base = [15, 20, 30]
            else:
                base = [40 + 170 * x // side, 60 + 150 * y // side, 80 + (x * y * 3 + x * 5) % 97]
            img[y, x] = [base[c] + n[c] - 8 for c in range(3)]
    return np.clip(img, 0, 255).astype(np.uint8)


def b64(a, dtype):
    return base64.b64encode(np.ascontiguousarray(a, dtype=dtype).ravel().tobytes()).decode()


def defocus(gen, side, seed):
    # every generator's defocus_blur table, read from its source by running it: the kernels it
    # builds for each severity are what the golden records
    img = test_image(side, seed)
    out = {'side': side, 'seed': seed, 'severities': []}
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


def crops(a, size=8):
    """A corner and a centre window of an output: enough to pin a parameter table, small to commit."""
    side = a.shape[0]
    c = (side - size) // 2
    return np.concatenate([a[:size, :size], a[c:c + size, c:c + size]], axis=0)


class Recorder:
    """Stands in for numpy's global draws while a published function runs, and records them.

    numpy's legacy normal(loc, scale) is loc + scale·gauss, so recording standard normals and
    returning loc + scale·z gives the very values the function would have used; poisson and
    uniform are recorded as returned.
    """

    def __init__(self, seed):
        self.rs = np.random.RandomState(seed)
        self.normals, self.poissons, self.uniforms, self.unit_uniforms = [], [], [], []

    def __enter__(self):
        self.saved = (np.random.normal, np.random.poisson, np.random.uniform)

        def normal(loc=0.0, scale=1.0, size=None):
            z = self.rs.standard_normal(size)
            self.normals.append(np.ravel(z))
            return loc + scale * z

        def poisson(lam=1.0, size=None):
            k = self.rs.poisson(lam, size)
            self.poissons.append(np.ravel(k))
            return k

        def uniform(low=0.0, high=1.0, size=None):
            # legacy uniform is low + (high - low)·u: keep u (replayed) and the value (the angle)
            u = self.rs.random_sample(size)
            v = low + (high - low) * u
            self.unit_uniforms.append(np.ravel(u))
            self.uniforms.append(np.ravel(v))
            return v

        np.random.normal, np.random.poisson, np.random.uniform = normal, poisson, uniform
        return self

    def __exit__(self, *exc):
        np.random.normal, np.random.poisson, np.random.uniform = self.saved


class UniformRecorder:
    """skimage's random_noise draws from np.random.default_rng(seed).random (its s&p masks are u <= p): record those."""

    def __init__(self, seed):
        self.seed, self.masks = seed, []

    def __enter__(self):
        self.saved = np.random.default_rng
        outer = self

        def default_rng(seed=None):
            g = outer.saved(outer.seed)

            class Recording:
                def random(self, *a, **k):
                    u = g.random(*a, **k)
                    outer.masks.append(np.ravel(u))
                    return u

                def __getattr__(self, name):
                    return getattr(g, name)
            return Recording()
        np.random.default_rng = default_rng
        return self

    def __exit__(self, *exc):
        np.random.default_rng = self.saved


def deterministic(gen, side, seed, names):
    """Per corruption and severity: crops of the published output on a seeded image of the set's side."""
    img = test_image(side, seed)
    from PIL import Image as PILImage
    out = {'side': side, 'seed': seed, 'corruptions': {}}
    for name in names:
        rows = []
        for severity in range(1, 6):
            arg = PILImage.fromarray(img) if name == 'pixelate' else img
            res = np.uint8(np.asarray(gen[name](arg, severity)))
            rows.append(b64(crops(res), np.uint8))
        out['corruptions'][name] = rows
    return out


def noise(gen, side, seed):
    """The four noise corruptions on a small image (they are per pixel), with their draws."""
    img = test_image(side, seed)
    out = {'side': side, 'seed': seed, 'corruptions': {}}
    for name in ['gaussian_noise', 'shot_noise', 'speckle_noise', 'impulse_noise']:
        rows = []
        for severity in range(1, 6):
            if name == 'impulse_noise':
                with UniformRecorder(seed * 10 + severity) as r:
                    res = gen[name](img, severity)
                draws = {'flipped': b64(r.masks[0], '<f8'), 'salted': b64(r.masks[1], '<f8')}
            else:
                with Recorder(seed * 10 + severity) as r:
                    res = gen[name](img, severity)
                draws = {'normals': b64(np.concatenate(r.normals), '<f8')} if r.normals else {'poissons': [int(v) for v in np.concatenate(r.poissons)]}
            rows.append({'severity': severity, 'out': b64(np.uint8(res), np.uint8), **draws})
        out['corruptions'][name] = rows
    return out


def motion(gen, side, seed):
    """motion_blur as published (Debian's ImageMagick 6.9.11 writes the PNG it reads back) and the
    same blur exported as PPM (the blur's own rounded 8-bit values), with the angle drawn."""
    from io import BytesIO
    from PIL import Image as PILImage
    img = test_image(side, seed)
    out = {'side': side, 'seed': seed, 'severities': []}
    for severity in range(1, 6):
        with Recorder(seed * 10 + severity) as r:
            published = gen['motion_blur'](PILImage.fromarray(img), severity)
        angle = float(r.uniforms[0][0])
        radius, sigma = gen['__motion_table'][severity - 1]
        buf = BytesIO()
        PILImage.fromarray(img).save(buf, format='PNG')
        blurred = gen['MotionImage'](blob=buf.getvalue())
        blurred.motion_blur(radius=radius, sigma=sigma, angle=angle)
        rounded = np.asarray(PILImage.open(BytesIO(blurred.make_blob('ppm'))).convert('RGB'))
        out['severities'].append({'severity': severity, 'radius': radius, 'sigma': sigma, 'angle': angle,
                                  'published': b64(np.uint8(published), np.uint8), 'rounded': b64(rounded, np.uint8)})
    return out


def fields(gen, side, seed):
    """spatter and elastic_transform (both work at any side) on a small image, with their draws:
    spatter's normal field, elastic's affine jitter and two displacement noises (as unit uniforms)."""
    img = test_image(side, seed)
    out = {'side': side, 'seed': seed, 'corruptions': {}}
    for name in ['spatter', 'elastic_transform']:
        rows = []
        for severity in range(1, 6):
            with Recorder(seed * 10 + severity) as r:
                res = gen[name](img, severity)
            draws = {'normals': b64(np.concatenate(r.normals), '<f8')} if r.normals else {'uniforms': b64(np.concatenate(r.unit_uniforms), '<f8')}
            rows.append({'severity': severity, 'out': b64(np.uint8(res), np.uint8), **draws})
        out['corruptions'][name] = rows
    return out


def end_to_end(gen, side, seed):
    """jpeg_compression, fog, glass_blur and snow run whole, as published, on a seeded image of the
    set's side: numpy's global generator is seeded (np.random.seed(seed * 10 + severity)) before
    each call, so a replica of numpy's legacy MT19937 draws (test/shifts/numpyRandomState.ts)
    replays them without recording. Kept per output: the crops, every 7th row and column
    (`grid`), and the sha256 of all its bytes."""
    import hashlib
    from PIL import Image as PILImage
    img = test_image(side, seed)
    out = {'side': side, 'seed': seed, 'corruptions': {}}
    for name in ['jpeg_compression', 'fog', 'glass_blur', 'snow']:
        rows = []
        for severity in range(1, 6):
            np.random.seed(seed * 10 + severity)
            res = np.uint8(np.asarray(gen[name](PILImage.fromarray(img), severity)))
            rows.append({'severity': severity, 'npSeed': seed * 10 + severity, 'crops': b64(crops(res), np.uint8),
                         'grid': b64(res[::7, ::7], np.uint8), 'sha256': hashlib.sha256(np.ascontiguousarray(res).tobytes()).hexdigest()})
        out['corruptions'][name] = rows
    out['corruptions']['frost'] = frost_end_to_end(gen, side, seed)
    return out


# Stand-ins for the six frost photographs (ImageNet-C's are not in zeroshift's repository):
# seeded test images of these sides, which test/shifts/publishedEndToEnd.test.ts makes too.
FROST_STAND_INS = [(250, 71), (262, 72), (275, 73), (281, 74), (293, 75), (300, 76)]
FROST_NAMES = ['frost1.png', 'frost2.png', 'frost3.png', 'frost4.jpg', 'frost5.jpg', 'frost6.jpg']


def frost_end_to_end(gen, side, seed):
    """frost run whole, as published, over FROST_STAND_INS written losslessly under the
    generator's file names in a scratch working directory (cv2.imread reads PNG bytes whatever
    the extension), with numpy's global generator seeded as in end_to_end."""
    import cv2
    import hashlib
    import tempfile
    from PIL import Image as PILImage
    img = test_image(side, seed)
    rows = []
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        for (s, sd), name in zip(FROST_STAND_INS, FROST_NAMES):
            ok, png = cv2.imencode('.png', test_image(s, sd)[..., ::-1])
            with open(os.path.join(scratch, name), 'wb') as f:
                f.write(png.tobytes())
        os.chdir(scratch)
        try:
            for severity in range(1, 6):
                np.random.seed(seed * 10 + severity)
                res = np.uint8(np.asarray(gen['frost'](PILImage.fromarray(img), severity)))
                rows.append({'severity': severity, 'npSeed': seed * 10 + severity, 'crops': b64(crops(res), np.uint8),
                             'grid': b64(res[::7, ::7], np.uint8), 'sha256': hashlib.sha256(np.ascontiguousarray(res).tobytes()).hexdigest()})
        finally:
            os.chdir(here)
    return rows


def motion_table(path):
    """The (radius, sigma) list of a generator's motion_blur, read from its source."""
    import ast
    tree = ast.parse(open(path).read())
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == 'motion_blur')
    lst = next(n.value.value for n in fn.body if isinstance(n, ast.Assign) and n.targets[0].id == 'c')
    return [tuple(ast.literal_eval(e)) for e in lst.elts]


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

    names = ['gaussian_blur', 'zoom_blur', 'contrast', 'brightness', 'saturate', 'pixelate', 'defocus_blur']
    for k, (f, side) in SETS.items():
        gens[k]['__motion_table'] = motion_table(os.path.join(checkout, 'ImageNet-C', 'create_c', f))
    per_set = {
        'generator': 'hendrycks/robustness ImageNet-C/create_c',
        'crops': 'the 8x8 corner window (rows and columns 0-7) stacked above the 8x8 centre window (from (side - 8) // 2)',
        'deterministic': {k: deterministic(gens[k], side, 20 + i, names) for i, (k, (_, side)) in enumerate(SETS.items())},
        'noise': {k: noise(gens[k], 6, 30 + i) for i, k in enumerate(SETS)},
        'motion': {k: motion(gens[k], 24, 40 + i) for i, k in enumerate(SETS)},
        'fields': {k: fields(gens[k], 12, 50 + i) for i, k in enumerate(SETS)},
    }
    with open(os.path.join(out_dir, 'parameterSets.json'), 'w') as f:
        json.dump(per_set, f, separators=(',', ':'))
    whole = {
        'generator': 'hendrycks/robustness ImageNet-C/create_c',
        'crops': per_set['crops'],
        'grid': 'rows and columns 0, 7, 14, ... of the output',
        'frostStandIns': [{'file': n, 'side': s, 'seed': sd} for (s, sd), n in zip(FROST_STAND_INS, FROST_NAMES)],
        'sets': {k: end_to_end(gens[k], side, 60 + i) for i, (k, (_, side)) in enumerate(SETS.items())},
    }
    with open(os.path.join(out_dir, 'endToEnd.json'), 'w') as f:
        json.dump(whole, f, separators=(',', ':'))


if __name__ == '__main__':
    main()
