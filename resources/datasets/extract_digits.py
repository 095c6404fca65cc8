"""Maintainer tool: extract the 8×8 handwritten digits into ``digits.npz``.

This script is NOT run by the app or by the tests. It was run once, by a maintainer, to
produce ``resources/datasets/digits.npz`` from the copy of the UCI "Optical Recognition of
Handwritten Digits" test set that ships inside scikit-learn (no network access is needed)::

    python resources/datasets/extract_digits.py

scikit-learn is needed only to run this script; Backprop Lab itself never imports it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np


def main() -> None:
    from sklearn.datasets import load_digits  # maintainer-only dependency

    bunch = load_digits()
    data = np.asarray(bunch.data)
    target = np.asarray(bunch.target)
    if data.shape != (1797, 64) or target.shape != (1797,):
        raise SystemExit(f"unexpected digits shapes {data.shape}, {target.shape}")
    if data.min() < 0 or data.max() > 16 or not np.array_equal(data, np.round(data)):
        raise SystemExit("digits pixels are not integers in 0..16")
    if set(np.unique(target).tolist()) != set(range(10)):
        raise SystemExit("digits labels are not 0..9")
    images = data.astype(np.uint8)
    labels = target.astype(np.uint8)
    out = Path(__file__).resolve().parent / "digits.npz"
    np.savez_compressed(out, images=images, labels=labels)
    print(f"wrote {out} ({out.stat().st_size} bytes): images {images.shape}, labels {labels.shape}")
    # The .npz bytes embed zip timestamps; these content hashes are what README.md records.
    print(f"sha256(images.tobytes()) = {hashlib.sha256(images.tobytes()).hexdigest()}")
    print(f"sha256(labels.tobytes()) = {hashlib.sha256(labels.tobytes()).hexdigest()}")


if __name__ == "__main__":
    main()
