"""Densities on the real line, and the input checks shared by the package.

Wherever gantheory takes a density (``p``, ``q``, ``p_data``, ``p_g``, a GAN ``target``) it
accepts any frozen continuous :mod:`scipy.stats` distribution, such as ``stats.norm(0, 1)``, or
a :class:`Mixture` of them. :func:`check_distribution` is the single gate that enforces this.

The other ``check_*`` functions validate scalar and array arguments. Each one names the
argument, says what it must be and shows the value it received, so that a user's mistake reads
as a sentence rather than a traceback into NumPy.
"""

from __future__ import annotations

import ast
import io
import math
import numbers
import operator
import tokenize
import warnings
from collections.abc import Iterable, Sequence
from typing import Any, Union

import numpy as np
import numpy.typing as npt
from scipy import stats

__all__ = [
    "Mixture",
    "Density",
    "breakpoints",
    "check_array",
    "check_base",
    "check_choice",
    "check_distribution",
    "check_int",
    "check_real",
    "describe",
    "parse_density",
]

#: A frozen continuous scipy.stats distribution or a :class:`Mixture`.
Density = Union["Mixture", Any]

# Quantiles at which the quadrature splits the real line for each density: the bulk, the
# shoulders, and the tails down to a mass of 1e-30. Each density then has all but 2e-30 of its mass
# inside its own breakpoints, so no adaptive rule can miss it on a wide interval set by a broader
# peer (a Gaussian's tail beyond its 1e-12 quantile, weighted by a large log-ratio, is ~1e-11).
# Upper tails use ``isf`` so that 1 - 1e-12 does not lose its digits.
_LOWER_TAILS = np.array([1e-30, 1e-20, 1e-16, 1e-12, 1e-8, 1e-4, 1e-2, 0.1, 0.25, 0.5])
_UPPER_TAILS = np.array([0.25, 0.1, 1e-2, 1e-4, 1e-8, 1e-12, 1e-16, 1e-20, 1e-30])


def _show(value: Any) -> str:
    """A short, unambiguous rendering of a received value for an error message."""
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{text} (type {type(value).__name__})"


def _is_real_scalar(value: Any) -> bool:
    return isinstance(value, (numbers.Real, np.floating, np.integer)) and not isinstance(
        value, (bool, np.bool_)
    )


def check_real(
    value: Any,
    name: str,
    *,
    positive: bool = False,
    nonnegative: bool = False,
    finite: bool = True,
) -> float:
    """Return ``value`` as a float after checking that it is a real number.

    Parameters
    ----------
    value : object
        The received argument.
    name : str
        The argument's name, used in the error message.
    positive, nonnegative : bool
        Require ``value > 0`` or ``value >= 0``.
    finite : bool
        Reject ``inf`` and ``nan`` (``nan`` is always rejected).

    Raises
    ------
    TypeError
        If ``value`` is not a real number (booleans are not accepted).
    ValueError
        If ``value`` violates a requested bound.

    Examples
    --------
    >>> check_real(2, "scale", positive=True)
    2.0
    >>> check_real(-1.0, "scale", positive=True)
    Traceback (most recent call last):
    ...
    ValueError: `scale` must be a finite number > 0, got -1.0 (type float).
    """
    if not _is_real_scalar(value):
        raise TypeError(f"`{name}` must be a real number, got {_show(value)}.")
    x = float(value)
    what = "a finite number" if finite else "a number"
    if positive:
        what += " > 0"
    elif nonnegative:
        what += " >= 0"
    bad = np.isnan(x) or (finite and not np.isfinite(x)) or (positive and not x > 0)
    bad = bad or (nonnegative and not x >= 0)
    if bad:
        raise ValueError(f"`{name}` must be {what}, got {_show(value)}.")
    return x


def check_int(value: Any, name: str, *, minimum: int | None = None) -> int:
    """Return ``value`` as an int after checking that it is an integer ``>= minimum``.

    Examples
    --------
    >>> check_int(3, "k", minimum=1)
    3
    >>> check_int(0, "k", minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: `k` must be an integer >= 1, got 0 (type int).
    """
    if not isinstance(value, (numbers.Integral, np.integer)) or isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be an integer, got {_show(value)}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"`{name}` must be an integer >= {minimum}, got {_show(value)}.")
    return int(value)


def check_choice(value: Any, name: str, choices: Iterable[str]) -> str:
    """Return ``value`` after checking that it is one of ``choices``.

    Examples
    --------
    >>> check_choice("adam", "optimizer", ("sgd", "adam"))
    'adam'
    >>> check_choice("rmsprop", "optimizer", ("sgd", "adam"))
    Traceback (most recent call last):
    ...
    ValueError: `optimizer` must be one of 'sgd', 'adam'; got 'rmsprop' (type str).
    """
    options = tuple(choices)
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(repr(c) for c in options)
        raise ValueError(f"`{name}` must be one of {listed}; got {_show(value)}.")
    return value


def check_base(base: Any) -> float | None:
    """Check the logarithm base of a divergence: ``None`` (nats) or a finite number > 1.

    A base in (0, 1) would make every divergence negative (its logarithm is negative), so it is
    refused rather than given a meaning no reader expects.

    Examples
    --------
    >>> check_base(2)
    2.0
    >>> check_base(0.5)
    Traceback (most recent call last):
    ...
    ValueError: `base` must be a finite number > 1 (2 for bits), or None for nats; got 0.5 (type float).
    """
    if base is None:
        return None
    if not _is_real_scalar(base):
        raise TypeError(f"`base` must be a number > 1 or None, got {_show(base)}.")
    b = float(base)
    if not (np.isfinite(b) and b > 1):
        raise ValueError(f"`base` must be a finite number > 1 (2 for bits), or None for nats; got {_show(base)}.")
    return b


def check_array(values: npt.ArrayLike, name: str, *, finite: bool = True) -> np.ndarray:
    """Return ``values`` as a float64 array, rejecting non-numbers and (by default) non-finite entries.

    Examples
    --------
    >>> check_array([0, 1.5], "distances")
    array([0. , 1.5])
    >>> check_array([0.0, np.nan], "distances")
    Traceback (most recent call last):
    ...
    ValueError: `distances` must be finite; entry 1 is nan.
    """
    raw = values if isinstance(values, np.ndarray) else None
    if raw is None:
        try:
            raw = np.asarray(values)
        except (TypeError, ValueError):  # ragged nested sequences
            raise TypeError(f"`{name}` must be an array of real numbers, got {_show(values)}.") from None
    if raw.dtype.kind not in "iuf":  # None, strings, booleans, complex numbers and objects
        if raw.dtype.kind == "O":
            try:
                raw = np.asarray(values, dtype=np.float64)
            except (TypeError, ValueError):
                raise TypeError(f"`{name}` must be an array of real numbers, got {_show(values)}.") from None
            if any(v is None or isinstance(v, (bool, np.bool_)) for v in np.asarray(values, dtype=object).ravel()):
                raise TypeError(f"`{name}` must be an array of real numbers, got {_show(values)}.")
        else:
            raise TypeError(f"`{name}` must be an array of real numbers, got {_show(values)}.")
    arr = np.asarray(raw, dtype=np.float64)
    bad = np.isnan(arr) | (finite & ~np.isfinite(arr))
    if bad.any():
        what = "finite" if finite else "free of NaN"
        if arr.ndim == 0:
            raise ValueError(f"`{name}` must be {what}, got {float(arr)}.")
        where = np.argwhere(bad)[0]
        index = int(where[0]) if arr.ndim == 1 else tuple(int(i) for i in where)
        raise ValueError(f"`{name}` must be {what}; entry {index} is {arr[tuple(where)]}.")
    return arr


def check_distribution(dist: Any, name: str) -> Density:
    """Check that ``dist`` is a density gantheory can integrate, and return it.

    Accepted: a frozen continuous :mod:`scipy.stats` distribution with valid parameters, such as
    ``stats.norm(0, 1)``, or a :class:`Mixture`.

    Raises
    ------
    TypeError
        For anything else, with a hint for the common mistakes: an unfrozen family
        (``stats.norm``) or a discrete distribution (``stats.poisson(3)``).
    ValueError
        For a frozen distribution whose parameters are invalid (``stats.norm(0, -1)``).

    Examples
    --------
    >>> from scipy import stats
    >>> check_distribution(stats.poisson(3), "p")
    Traceback (most recent call last):
    ...
    TypeError: `p` must be a continuous distribution, got the discrete distribution poisson(3).
    """
    if isinstance(dist, Mixture):
        return dist
    family = getattr(dist, "dist", None)
    if isinstance(family, stats.rv_continuous) and hasattr(dist, "logpdf"):
        _check_parameters(dist, family, name)
        return dist
    if isinstance(family, stats.rv_discrete):
        raise TypeError(
            f"`{name}` must be a continuous distribution, got the discrete distribution "
            f"{describe(dist)}."
        )
    if isinstance(dist, stats.rv_continuous):
        raise TypeError(
            f"`{name}` must be a frozen distribution with its parameters, such as "
            f"stats.{dist.name}(0, 1); got the family stats.{dist.name} itself."
        )
    raise TypeError(
        f"`{name}` must be a frozen scipy.stats continuous distribution (such as "
        f"stats.norm(0, 1)) or a gantheory.Mixture, got {_show(dist)}."
    )


def _check_parameters(dist: Any, family: stats.rv_continuous, name: str) -> None:
    """Refuse a frozen distribution that is not a proper density: booleans, NaN, infinite
    location or scale (``norm(0, inf)`` is no density: scipy returns 0 for it everywhere)."""
    values = list(dist.args) + list(dist.kwds.values())
    if any(isinstance(v, (bool, np.bool_)) for v in values):
        raise TypeError(f"`{name}` = {describe(dist)}: its parameters must be numbers, not booleans.")
    try:
        shapes, loc, scale = family._parse_args(*dist.args, **dist.kwds)
        loc, scale = float(loc), float(scale)
        shapes = tuple(float(v) for v in shapes)
    except (TypeError, ValueError):
        raise TypeError(f"`{name}` = {describe(dist)}: its parameters must be real numbers.") from None
    if not np.isfinite(loc):
        raise ValueError(f"`{name}` = {describe(dist)} is not a proper density: its location must be finite, got {loc!r}.")
    if not scale > 0:
        raise ValueError(f"`{name}` has invalid parameters: {describe(dist)} (its scale must be > 0).")
    if not np.isfinite(scale):
        raise ValueError(
            f"`{name}` = {describe(dist)} is not a proper density: its scale must be a finite number > 0, got {scale!r}."
        )
    if any(np.isnan(v) for v in shapes) or not bool(np.all(family._argcheck(*shapes))):
        raise ValueError(f"`{name}` has invalid parameters: {describe(dist)}.")


def describe(dist: Density) -> str:
    """A short label for a density, as it would be written in code: ``norm(0, 1)``.

    The inverse of :func:`parse_density`.

    Examples
    --------
    >>> from scipy import stats
    >>> describe(stats.t(3, loc=1))
    't(3, loc=1)'
    >>> describe(Mixture([stats.norm(-3, 0.5), stats.laplace(3, 1)], [0.25, 0.75]))
    '0.25*norm(-3, 0.5) + 0.75*laplace(3, 1)'
    """
    if isinstance(dist, Mixture):
        return " + ".join(f"{_number(w)}*{describe(c)}" for c, w in zip(dist.components, dist.weights))
    args = [_number(a) if _is_real_scalar(a) else repr(a) for a in dist.args]
    args += [f"{k}={_number(v) if _is_real_scalar(v) else repr(v)}" for k, v in dist.kwds.items()]
    return f"{dist.dist.name}({', '.join(args)})"


def _number(value: float) -> str:
    """The shortest text that reads back as exactly ``value``: ``2`` for 2.0, ``0.1`` for 0.1."""
    x = float(value)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


_DENSITY_FORMS = (
    "a scipy.stats continuous family with numeric arguments, such as norm(0, 1), laplace(1, 1), "
    "t(3, loc=0, scale=2) or uniform(0, 1), or a weighted sum of them with weights summing to 1, "
    "such as 0.5*norm(-3, 0.5) + 0.5*norm(3, 0.5)"
)
_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
# Tokens after which a `+` adds two terms (rather than being a unary plus).
_OPERAND_TOKENS = {tokenize.NUMBER, tokenize.NAME}


def _clip(text: str, limit: int = 60) -> str:
    """``text`` itself if short, else its start and its length: a message stays one readable line."""
    return text if len(text) <= limit else f"{text[:limit - 3]}... ({len(text)} characters)"


def _top_level_terms(text: str) -> list[str]:
    """Split ``text`` at the ``+`` signs outside brackets, with Python's tokenizer.

    Iterative, so a mixture of any number of terms is read without the recursion limit that
    ``ast.parse`` of the whole sum reaches at a few thousand terms. A ``+`` that follows an
    operator (a unary plus) or sits in an exponent (``1e+5``) does not split.
    """
    terms, start, depth, previous = [], 0, 0, None
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                          tokenize.COMMENT, tokenize.ENDMARKER):
            continue
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
        elif (token.type == tokenize.OP and token.string == "+" and depth == 0 and previous is not None
              and (previous.type in _OPERAND_TOKENS or previous.string in ")]}")):
            terms.append(text[start:token.start[1]])
            start = token.end[1]
        previous = token
    terms.append(text[start:])
    return terms


def parse_density(text: str, name: str | None = "density") -> Density:
    """Read a density written as in code, safely: the syntax tree is walked, never evaluated.

    Parameters
    ----------
    text : str
        ``family(args...)`` for any continuous :mod:`scipy.stats` family, with finite numeric
        positional and keyword arguments, or a weighted sum ``w1*family(...) + w2*family(...)``
        (any number of terms) for a :class:`Mixture`. Numbers may use ``+ - * /``.
    name : str or None
        The argument's name for error messages (the command line passes ``P`` or ``Q``); ``None``
        starts the message with the text itself.

    Returns
    -------
    frozen scipy.stats distribution or Mixture
        Checked by :func:`check_distribution`.

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    ValueError
        If ``text`` is not one of those forms, with the reason (on one line, quoting at most 60
        characters of ``text``) and the list of what is accepted. Nothing else escapes: not a
        ``RecursionError`` for deep nesting, nor an ``OverflowError`` for a 400-digit number, nor
        a warning from scipy while the distribution is built.

    Examples
    --------
    >>> describe(parse_density("t(3, loc=2/4)"))   # a frozen scipy.stats distribution
    't(3, loc=0.5)'
    >>> parse_density("0.5*norm(-3, 0.5) + 0.5*norm(3, 0.5)")
    Mixture([norm(-3, 0.5), norm(3, 0.5)], weights=[0.5, 0.5])
    >>> parse_density("__import__('os')")
    Traceback (most recent call last):
    ...
    ValueError: `density` = "__import__('os')" is not a density: `__import__` is not a continuous scipy.stats family. Write a scipy.stats continuous family with numeric arguments, such as norm(0, 1), laplace(1, 1), t(3, loc=0, scale=2) or uniform(0, 1), or a weighted sum of them with weights summing to 1, such as 0.5*norm(-3, 0.5) + 0.5*norm(3, 0.5).
    >>> parse_density("norm(0, 1e999)", None)
    Traceback (most recent call last):
    ...
    ValueError: 'norm(0, 1e999)' is not a density: `1e999` is not a finite number. Write ...
    """
    if not isinstance(text, str):
        raise TypeError(f"`{name or 'density'}` must be a string such as 'norm(0, 1)', got {_show(text)}.")
    quoted = repr(_clip(text))
    subject = quoted if name is None else f"`{name}` = {quoted}"

    def fail(reason: str) -> ValueError:
        reason = " ".join(reason.split())  # one line, whatever the reason quotes
        return ValueError(f"{subject} is not a density: {reason}. Write {_DENSITY_FORMS}.")

    written = ""  # the term being read, to quote a node as the user wrote it

    def source(node: ast.expr) -> str:
        return _clip(ast.get_source_segment(written, node) or ast.unparse(node), 40)

    def number(node: ast.expr) -> float:
        if isinstance(node, ast.Constant) and _is_real_scalar(node.value):
            try:
                value = float(node.value)
            except OverflowError:
                raise fail(f"`{source(node)}` is too large for a floating-point number") from None
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            value = number(node.operand)
            value = -value if isinstance(node.op, ast.USub) else value
        elif isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
            try:
                value = _ARITHMETIC[type(node.op)](number(node.left), number(node.right))
            except ZeroDivisionError:
                raise fail("it divides by zero") from None
        else:
            raise fail(f"`{source(node)}` is not a number")
        if not math.isfinite(value):
            raise fail(f"`{source(node)}` is not a finite number")
        return value

    def family(node: ast.expr) -> Density:
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            raise fail(f"`{source(node)}` is not a call such as norm(0, 1)")
        fam = getattr(stats, node.func.id, None)
        if not isinstance(fam, stats.rv_continuous):
            raise fail(f"`{_clip(node.func.id, 40)}` is not a continuous scipy.stats family")
        if any(k.arg is None for k in node.keywords) or any(isinstance(a, ast.Starred) for a in node.args):
            raise fail("`*` and `**` arguments are not accepted")
        args = [number(a) for a in node.args]
        kwargs = {k.arg: number(k.value) for k in node.keywords}
        keywords = [k.arg for k in node.keywords]
        repeated = [k for i, k in enumerate(keywords) if k in keywords[:i]]
        if repeated:
            raise fail(f"the keyword `{repeated[0]}` is given twice")
        written_args = [_number(a) for a in args] + [f"{k}={_number(v)}" for k, v in kwargs.items()]
        label = _clip(f"{node.func.id}({', '.join(written_args)})", 40)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with np.errstate(all="raise"):
                    dist = check_distribution(fam(*args, **kwargs), label)
            except (TypeError, ValueError, ArithmeticError) as error:
                raise fail(f"{label} cannot be built ({error})") from None
        if caught:
            raise fail(f"{label} cannot be built ({caught[0].message})")
        return dist

    def weighted(node: ast.expr) -> list[tuple[float | None, ast.expr, str]]:
        """The (weight, call, text) terms of one top-level term; a bracketed sum is opened, iteratively."""
        out, stack = [], [node]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                stack += [node.right, node.left]
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult) and isinstance(node.right, ast.Call):
                out.append((number(node.left), node.right, written))
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult) and isinstance(node.left, ast.Call):
                out.append((number(node.right), node.left, written))
            else:
                out.append((None, node, written))
        return out

    flat = " ".join(text.split())  # one line for the tokenizer; no token holds whitespace
    try:
        pieces = _top_level_terms(flat)
    except (tokenize.TokenError, SyntaxError):
        raise fail("it is not valid syntax") from None
    parts: list[tuple[float | None, ast.expr, str]] = []
    try:
        for i, piece in enumerate(pieces):
            written = piece.strip()
            if not written:
                raise fail("it is empty" if len(pieces) == 1 else f"term {i + 1} of the sum is empty")
            try:
                tree = ast.parse(written, mode="eval")
            except (SyntaxError, ValueError):  # ValueError: a null byte, before Python 3.12
                raise fail("it is not valid syntax") from None
            parts += weighted(tree.body)
        if len(parts) == 1 and parts[0][0] is None:
            written = parts[0][2]
            return family(parts[0][1])
        if any(w is None for w, _, _ in parts):
            raise fail("every term of a mixture needs a weight, as in 0.5*norm(0, 1)")
        components = []
        for _, node, written in parts:
            components.append(family(node))
    except (RecursionError, MemoryError):
        raise fail("it is nested too deeply") from None
    try:
        return Mixture(components, [w for w, _, _ in parts])
    except ValueError as error:
        raise fail(str(error).rstrip(".")) from None


def breakpoints(dist: Density) -> np.ndarray:
    """Points where the quadrature should split the real line for ``dist``: sorted, finite, unique.

    These are the finite ends of the support and quantiles from the far tails (1e-30) through
    the median, which is where symmetric kinked densities such as the Laplace have their kink.
    For a :class:`Mixture` they are the union over its components, so every mode is included.

    Examples
    --------
    >>> from scipy import stats
    >>> pts = breakpoints(stats.uniform(0, 2))
    >>> float(pts[0]), float(pts[-1])
    (0.0, 2.0)
    """
    if isinstance(dist, Mixture):
        return np.unique(np.concatenate([breakpoints(c) for c in dist.components]))
    lo, hi = dist.support()
    points = np.concatenate([dist.ppf(_LOWER_TAILS), dist.isf(_UPPER_TAILS), [lo, hi]])
    return np.unique(points[np.isfinite(points)])


class Mixture:
    """A finite mixture of continuous densities, usable wherever a frozen scipy distribution is.

    .. math:: p(x) = \\sum_k w_k \\, p_k(x), \\qquad w_k \\ge 0, \\ \\sum_k w_k = 1.

    Parameters
    ----------
    components : sequence of densities, length K
        Frozen continuous :mod:`scipy.stats` distributions (or Mixtures).
    weights : array_like, shape (K,)
        Non-negative weights summing to 1 within 1e-12; they are renormalized to sum to 1 exactly
        in floating point.

    Notes
    -----
    ``logpdf`` is computed with ``logsumexp`` over the components, so it stays finite far in the
    tails where every component's ``pdf`` underflows to 0. ``ppf`` inverts ``cdf`` by bisection
    between the smallest and largest component quantiles, which bracket the mixture's.

    Examples
    --------
    >>> from scipy import stats
    >>> mix = Mixture([stats.norm(-3, 0.5), stats.norm(3, 0.5)], [0.5, 0.5])
    >>> float(mix.mean()), float(mix.var())
    (0.0, 9.25)
    >>> bool(np.isclose(mix.logpdf(-40.0), np.log(0.5) + stats.norm(-3, 0.5).logpdf(-40.0)))
    True
    """

    def __init__(self, components: Sequence[Density], weights: npt.ArrayLike) -> None:
        if isinstance(components, (str, bytes)) or not isinstance(components, Iterable):
            raise TypeError(f"`components` must be a sequence of distributions, got {_show(components)}.")
        comps = tuple(check_distribution(c, f"components[{i}]") for i, c in enumerate(components))
        if not comps:
            raise ValueError("`components` must hold at least one distribution, got an empty sequence.")
        w = check_array(weights, "weights")
        if w.ndim != 1 or w.size != len(comps):
            raise ValueError(
                f"`weights` must have one entry per component ({len(comps)}), got shape {w.shape}: "
                f"{_show(weights)}."
            )
        if (w < 0).any():
            raise ValueError(f"`weights` must be non-negative, got {_show(weights)}.")
        if abs(w.sum() - 1.0) > 1e-12:
            raise ValueError(f"`weights` must sum to 1 (within 1e-12), got sum {w.sum()!r}: {_show(weights)}.")
        w = w / w.sum()
        w.setflags(write=False)
        self.components = comps
        self.weights = w
        with np.errstate(divide="ignore"):
            self._log_weights = np.log(w)

    def __repr__(self) -> str:
        parts = ", ".join(describe(c) for c in self.components)
        weights = ", ".join(f"{w:g}" for w in self.weights)
        return f"Mixture([{parts}], weights=[{weights}])"

    def _stack(self, method: str, x: np.ndarray) -> np.ndarray:
        return np.stack([getattr(c, method)(x) for c in self.components])  # (K, *x.shape)

    def _weighted(self, method: str, x: npt.ArrayLike) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        return np.tensordot(self.weights, self._stack(method, x), axes=1)

    def pdf(self, x: npt.ArrayLike) -> np.ndarray:
        """Density :math:`\\sum_k w_k p_k(x)`."""
        return self._weighted("pdf", x)

    def logpdf(self, x: npt.ArrayLike) -> np.ndarray:
        """Log-density by ``logsumexp``; finite wherever some component's log-density is.

        The components' log-densities are the exact ones of :func:`gantheory.logdensity.logpdf`
        (closed forms where scipy's underflow, as the Laplace's does beyond 745 scales).
        """
        from gantheory.logdensity import logpdf

        x = np.asarray(x, dtype=np.float64)
        return logpdf(self, x)

    def cdf(self, x: npt.ArrayLike) -> np.ndarray:
        """Distribution function :math:`\\sum_k w_k F_k(x)`."""
        return self._weighted("cdf", x)

    def sf(self, x: npt.ArrayLike) -> np.ndarray:
        """Survival function :math:`1 - F(x)`, without cancellation in the upper tail."""
        return self._weighted("sf", x)

    def ppf(self, q: npt.ArrayLike) -> np.ndarray:
        """Quantile function: the ``x`` with ``cdf(x) = q`` (NaN for ``q`` outside [0, 1]).

        Bisection on the bracket [min_k ppf_k(q), max_k ppf_k(q)] until it stops shrinking in
        floating point.
        """
        q = np.asarray(q, dtype=np.float64)
        quantiles = np.stack([c.ppf(q) for c, w in zip(self.components, self.weights) if w > 0])
        lo, hi = quantiles.min(axis=0), quantiles.max(axis=0)
        for _ in range(2200):  # enough halvings to cross the whole float64 range
            mid = 0.5 * (lo + hi)
            active = (mid != lo) & (mid != hi) & np.isfinite(mid)
            if not active.any():
                break
            below = self.cdf(mid) < q
            lo = np.where(active & below, mid, lo)
            hi = np.where(active & ~below, mid, hi)
        return hi

    def isf(self, q: npt.ArrayLike) -> np.ndarray:
        """Inverse survival function, ``ppf(1 - q)``."""
        return self.ppf(1.0 - np.asarray(q, dtype=np.float64))

    def rvs(
        self,
        size: int | tuple[int, ...] | None = None,
        random_state: int | np.random.Generator | None = None,
    ) -> np.ndarray | float:
        """Draw samples: a component index from ``weights``, then a draw from that component.

        Parameters
        ----------
        size : int or tuple of ints, optional
            Output shape; ``None`` returns a single float.
        random_state : int or numpy.random.Generator, optional
            Seed or generator. The same seed gives the same samples bit for bit. ``None`` draws
            fresh entropy (never NumPy's global state).
        """
        rng = np.random.default_rng(random_state)
        shape = () if size is None else tuple(np.atleast_1d(size).astype(int))
        n = int(np.prod(shape))
        which = rng.choice(len(self.components), size=n, p=self.weights)
        out = np.empty(n)
        for k, comp in enumerate(self.components):
            index = np.flatnonzero(which == k)
            if index.size:
                out[index] = comp.rvs(size=index.size, random_state=rng)
        return float(out[0]) if size is None else out.reshape(shape)

    def support(self) -> tuple[float, float]:
        """The smallest interval holding the supports of all components with positive weight."""
        ends = np.array([c.support() for c, w in zip(self.components, self.weights) if w > 0])
        return float(ends[:, 0].min()), float(ends[:, 1].max())

    def mean(self) -> float:
        """:math:`\\sum_k w_k \\mu_k`."""
        means = np.array([c.mean() for c in self.components])
        return float(np.dot(self.weights, means))

    def var(self) -> float:
        """Law of total variance: :math:`\\sum_k w_k (\\sigma_k^2 + \\mu_k^2) - \\mu^2`."""
        means = np.array([c.mean() for c in self.components])
        second = np.array([c.var() for c in self.components]) + means**2
        mu = np.dot(self.weights, means)
        return float(np.dot(self.weights, second) - mu**2)

    def std(self) -> float:
        """Standard deviation."""
        return float(np.sqrt(self.var()))

    def median(self) -> float:
        """The 0.5 quantile."""
        return float(self.ppf(0.5))
