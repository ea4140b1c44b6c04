"""Settings with one value per ensemble member, computed with the bits of a shared value.

A per-member setting (declared ``per_member`` in :mod:`gantheory.gan.config`) reaches the
training loop as a Python float when every member of a chunk shares it, and otherwise as a
column shaped (E, 1) of float64 values that broadcasts over the (E, ...) arrays. Member ``i``
must compute the same bits either way: that is what lets a sweep train the cells of a grid as one
ensemble and still give each run exactly as it is trained alone. Elementwise ``+ - * /`` and
``sqrt`` are correctly rounded by IEEE 754 whatever the shape, so two things remain:

* Rounding. A Python float that meets a float32 array is rounded to float32 before the operation
  (NumPy's NEP 50), while a float64 column would make the operation float64.
  :func:`rounded` casts a column where the float would be cast.
* Functions of the value alone. ``beta ** t`` of a float is the C library's ``pow``; NumPy's SIMD
  ``power`` on an array may differ in the last bit. :func:`per_value` computes such a function with
  Python floats, once per distinct value of the column.

Examples
--------
>>> lr = column([0.1, 0.1, 0.2])
>>> lr.shape, lr.dtype.name
((3, 1), 'float64')
>>> column([0.1, 0.1])                      # shared: the float itself
0.1
>>> x = np.ones((3, 2), np.float32)
>>> bool(((rounded(lr, x) * x)[0] == 0.1 * x[0]).all())   # the bits of the shared float
True
>>> per_value(lambda b: b ** 3, column([0.5, 0.9]))[:, 0].tolist() == [0.5 ** 3, 0.9 ** 3]
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["column", "per_value", "rounded"]


def column(values: Sequence[float]) -> float | np.ndarray:
    """One value per member: the value itself if all are equal, else an (E, 1) float64 column.

    Examples
    --------
    >>> column([0.9, 0.5]).ravel().tolist()
    [0.9, 0.5]
    """
    first = values[0]
    if all(v == first for v in values):
        return first
    return np.asarray(values, dtype=np.float64).reshape(-1, 1)


def rounded(value: Any, like: np.ndarray) -> Any:
    """``value`` as a Python float would enter an operation with the array ``like``.

    A float (or any scalar) is returned unchanged: NumPy rounds it to ``like``'s dtype. A column
    is rounded to that dtype here, so that the operation runs in it, as it does for the float.
    """
    if isinstance(value, np.ndarray) and value.dtype != like.dtype:
        return value.astype(like.dtype)
    return value


def per_value(fn: Callable[[float], float], value: Any) -> Any:
    """``fn`` of a float, or of each member's value of a column with Python floats (as a shared
    float would be computed), once per distinct value."""
    if not isinstance(value, np.ndarray):
        return fn(value)
    distinct, index = np.unique(value, return_inverse=True)
    return np.array([fn(v) for v in distinct.tolist()], dtype=np.float64)[index].reshape(value.shape)
