#!/usr/bin/env python3
"""Reference outputs for zeroshift's six ImageNet-C corruptions added last (glass_blur,
zoom_blur, snow, frost, spatter, elastic_transform), computed once with the libraries the
published ImageNet-C code calls (numpy, scipy.ndimage, skimage.filters.gaussian, OpenCV),
following hendrycks/robustness ImageNet-C/imagenet_c/imagenet_c/corruptions.py step by step.

The random draws are made here with numpy and written out, so the TypeScript test can feed
the same draws through zeroshift's deterministic code and compare the results. ImageMagick's
motion blur (snow) is not reproduced here: zeroshift's copy of it is tested on its own, and the
snow reference composites a given layer.

Run once (Debian: apt-get install python3-scipy python3-skimage python3-opencv):
  /usr/bin/python3 scripts/reference/imagenet_c_corruptions.py > test/shifts/golden/imagenetC-reference.json
"""
import base64
import json
import sys

import cv2
import numpy as np
import scipy
import skimage
from scipy.ndimage import map_coordinates
from scipy.ndimage import zoom as scizoom
from skimage.filters import gaussian

N = 24  # a small square image: the published code assumes squares


def test_image():
    """A deterministic 24x24 RGB image with edges and gradients."""
    y, x = np.mgrid[0:N, 0:N]
    r = (x * 7 + y * 3) % 256
    g = ((x - 12) ** 2 + (y - 9) ** 2 < 45) * 200 + 30
    b = (x * y) % 97 + 60 * (x > 15)
    return np.stack([r, g, b], axis=2).astype(np.uint8)


def floats(a):
    """Outputs: float32 little-endian, base64 (the comparisons allow 1e-6)."""
    return base64.b64encode(np.asarray(a, dtype='<f4').ravel().tobytes()).decode()


def doubles(a):
    """Random draws fed back into zeroshift: float64 little-endian, base64, exact."""
    return base64.b64encode(np.asarray(a, dtype='<f8').ravel().tobytes()).decode()


def u8(a):
    return base64.b64encode(np.asarray(a, dtype=np.uint8).ravel().tobytes()).decode()


def clipped_zoom(img, z):
    h = img.shape[0]
    ch = int(np.ceil(h / float(z)))
    top = (h - ch) // 2
    img = scizoom(img[top:top + ch, top:top + ch], (z, z, 1), order=1)
    trim = (img.shape[0] - h) // 2
    return img[trim:trim + h, trim:trim + h]


def glass(x, rs, sigma, delta, iterations):
    x = np.uint8(gaussian(np.array(x) / 255., sigma=sigma, channel_axis=-1) * 255)
    first = x.copy()
    offsets = []
    for _ in range(iterations):
        for h in range(N - delta, delta, -1):
            for w in range(N - delta, delta, -1):
                dx, dy = rs.randint(-delta, delta, size=(2,))
                offsets += [int(dx), int(dy)]
                hp, wp = h + dy, w + dx
                # the published line: on numpy views this copies x[hp, wp] into x[h, w]
                x[h, w], x[hp, wp] = x[hp, wp], x[h, w]
    out = np.clip(gaussian(x / 255., sigma=sigma, channel_axis=-1), 0, 1)
    return first, offsets, out


def zoom_blur(x, factors):
    x = (np.array(x) / 255.).astype(np.float32)
    out = np.zeros_like(x)
    for z in factors:
        out += clipped_zoom(x, z)
    return np.clip((x + out) / (len(factors) + 1), 0, 1)


def snow_layer(field, z, threshold):
    # field: the centre crop of the published N x N noise that clipped_zoom keeps
    ch = field.shape[0]
    img = scizoom(field[..., np.newaxis], (z, z, 1), order=1)
    trim = (img.shape[0] - N) // 2
    layer = img[trim:trim + N, trim:trim + N]
    layer[layer < threshold] = 0
    return (np.clip(layer.squeeze(), 0, 1) * 255).astype(np.uint8)


def snow_composite(x, layer8, blend):
    x = np.array(x, dtype=np.float32) / 255.
    layer = (layer8 / 255.)[..., np.newaxis]
    x = blend * x + (1 - blend) * np.maximum(x, cv2.cvtColor(x, cv2.COLOR_RGB2GRAY).reshape(N, N, 1) * 1.5 + 0.5)
    return np.clip(x + layer + np.rot90(layer, k=2), 0, 1)


def spatter(x, field, c):
    x = np.array(x, dtype=np.float32) / 255.
    liquid = gaussian(field, sigma=c[2])
    liquid[liquid < c[3]] = 0
    if c[5] == 0:
        liquid = (liquid * 255).astype(np.uint8)
        dist = 255 - cv2.Canny(liquid, 50, 150)
        dist = cv2.distanceTransform(dist, cv2.DIST_L2, 5)
        _, dist = cv2.threshold(dist, 20, 20, cv2.THRESH_TRUNC)
        dist = cv2.blur(dist, (3, 3)).astype(np.uint8)
        dist = cv2.equalizeHist(dist)
        ker = np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]])
        dist = cv2.filter2D(dist, cv2.CV_8U, ker)
        dist = cv2.blur(dist, (3, 3)).astype(np.float32)
        m = cv2.cvtColor(liquid * dist, cv2.COLOR_GRAY2BGRA)
        m /= np.max(m, axis=(0, 1))
        m *= c[4]
        color = np.concatenate((175 / 255. * np.ones_like(m[..., :1]), 238 / 255. * np.ones_like(m[..., :1]),
                                238 / 255. * np.ones_like(m[..., :1])), axis=2)
        color = cv2.cvtColor(color, cv2.COLOR_BGR2BGRA)
        x = cv2.cvtColor(x, cv2.COLOR_BGR2BGRA)
        return {'canny': cv2.Canny(liquid, 50, 150),
                'out': cv2.cvtColor(np.clip(x + m * color, 0, 1), cv2.COLOR_BGRA2BGR)}
    m = np.where(liquid > c[3], 1, 0)
    m = gaussian(m.astype(np.float32), sigma=c[4])
    m[m < 0.8] = 0
    color = np.concatenate((63 / 255. * np.ones_like(x[..., :1]), 42 / 255. * np.ones_like(x[..., :1]),
                            20 / 255. * np.ones_like(x[..., :1])), axis=2)
    color *= m[..., np.newaxis]
    x *= (1 - m[..., np.newaxis])
    return {'out': np.clip(x + color, 0, 1)}


def elastic(image, rs, c):
    image = np.array(image, dtype=np.float32) / 255.
    shape = image.shape
    size = shape[:2]
    centre = np.float32(size) // 2
    sq = min(size) // 3
    pts1 = np.float32([centre + sq, [centre[0] + sq, centre[1] - sq], centre - sq])
    jitter = rs.uniform(-c[2], c[2], size=pts1.shape).astype(np.float32)
    pts2 = pts1 + jitter
    M = cv2.getAffineTransform(pts1, pts2)
    warped = cv2.warpAffine(image, M, size[::-1], borderMode=cv2.BORDER_REFLECT_101)
    ux = rs.uniform(-1, 1, size=shape[:2])
    uy = rs.uniform(-1, 1, size=shape[:2])
    dx = (gaussian(ux, c[1], mode='reflect', truncate=3) * c[0]).astype(np.float32)
    dy = (gaussian(uy, c[1], mode='reflect', truncate=3) * c[0]).astype(np.float32)
    x, y, z = np.meshgrid(np.arange(shape[1]), np.arange(shape[0]), np.arange(shape[2]))
    idx = np.reshape(y + dy[..., None], (-1, 1)), np.reshape(x + dx[..., None], (-1, 1)), np.reshape(z, (-1, 1))
    out = np.clip(map_coordinates(warped, idx, order=1, mode='reflect').reshape(shape), 0, 1)
    return {'jitter': [float(v) for v in jitter.ravel()], 'ux': doubles(ux), 'uy': doubles(uy), 'warped': floats(warped), 'out': floats(out)}


def frost_resize(photo, f):
    return cv2.resize(photo, (0, 0), fx=f, fy=f)


def main():
    rs = np.random.RandomState(20260101)
    img = test_image()
    ref = {
        'versions': {'numpy': np.__version__, 'scipy': scipy.__version__, 'skimage': skimage.__version__, 'cv2': cv2.__version__},
        'size': N,
        'image': u8(img),
    }
    ref['glass'] = []
    for sigma, delta, iterations in [(0.7, 1, 2), (1.1, 3, 2)]:
        first, offsets, out = glass(img, rs, sigma, delta, iterations)
        ref['glass'].append({'sigma': sigma, 'delta': delta, 'iterations': iterations, 'firstBlur': u8(first),
                             'offsets': offsets, 'out': floats(out)})
    ref['zoom'] = []
    for stop, step in [(1.11, 0.01), (1.31, 0.03)]:
        factors = np.arange(1, stop, step)
        ref['zoom'].append({'factors': [float(f) for f in factors], 'out': floats(zoom_blur(img, factors))})
    ref['snow'] = []
    for loc, scale, z, threshold, blend in [(0.1, 0.3, 3, 0.5, 0.8), (0.55, 0.3, 2.5, 0.85, 0.55)]:
        ch = int(np.ceil(N / float(z)))
        field = rs.normal(size=(ch, ch), loc=loc, scale=scale)
        layer = snow_layer(field, z, threshold)
        ref['snow'].append({'zoom': z, 'threshold': threshold, 'blend': blend, 'field': doubles(field),
                            'layer': u8(layer), 'out': floats(snow_composite(img, layer, blend))})
    ref['spatter'] = []
    for severity, c in [(1, (0.65, 0.3, 4, 0.69, 0.6, 0)), (3, (0.65, 0.3, 2, 0.68, 0.5, 0)), (5, (0.67, 0.4, 1, 0.65, 1.5, 1))]:
        field = rs.normal(size=(N, N), loc=c[0], scale=c[1])
        r = spatter(img, field, c)
        ref['spatter'].append({'severity': severity, 'field': doubles(field), 'out': floats(r['out']), **({'canny': u8(r['canny'])} if 'canny' in r else {})})
    ref['elastic'] = []
    for severity, c in [(1, (244 * 2, 244 * 0.7, 244 * 0.1)), (3, (244 * 0.05, 244 * 0.01, 244 * 0.02))]:
        ref['elastic'].append({'severity': severity, 'alpha': c[0], 'sigma': c[1], **elastic(img, rs, c)})
    # frost: the blend and the scaling of a photograph (here a synthetic 48x40 stand-in)
    py, px = np.mgrid[0:40, 0:48]
    photo = np.stack([(px * 5 + py * 3) % 256, (px * py) % 256, 255 - (px * 4) % 256], axis=2).astype(np.uint8)
    small = frost_resize(photo, 0.3)
    blend = np.uint8(np.clip(0.65 * np.array(img[:8, :8]) + 0.7 * small[1:9, 2:10], 0, 255))
    ref['frost'] = {'photo': u8(photo), 'photoWidth': 48, 'photoHeight': 40, 'factor': 0.3,
                    'resized': u8(small), 'resizedWidth': small.shape[1], 'resizedHeight': small.shape[0],
                    'blend': {'a': 0.65, 'b': 0.7, 'top': 1, 'left': 2, 'out': u8(blend)}}
    json.dump(ref, sys.stdout, separators=(',', ':'))


if __name__ == '__main__':
    main()
