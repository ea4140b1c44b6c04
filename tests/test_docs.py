"""The documentation for coursework: generated pages are current, math survives Markdown, links hold.

The examples inside docs/*.md run as doctests (``--doctest-glob=*.md`` in pyproject.toml); these
tests check what doctests cannot: that docs/derivations.md is what scripts/derivations_doc.py
writes now, that every displayed formula reaches MathJax unchanged on a site that applies
Markdown's backslash escapes inside math, that the pages link to each other, and that every Python
block on a page is executed.
"""

import re
import sys
from pathlib import Path

import pytest

from gantheory import symbolic

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "scripts"))

import derivations_doc  # noqa: E402

PAGES = ("derivations.md", "coursework.md")
# A backslash before ASCII punctuation is a Markdown escape: GitHub removes the backslash even
# inside $$ ... $$, so \, reaches MathJax as "," and \| as "|".
ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)


def _text(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _prose(text: str) -> str:
    """The page without its fenced code blocks."""
    return FENCE.sub("", text)


def _display_math(text: str) -> list[str]:
    return re.findall(r"^\$\$\n(.*?)\n\$\$$", _prose(text), re.S | re.M)


def _inline_math(text: str) -> list[str]:
    prose = re.sub(r"^\$\$\n.*?\n\$\$$", "", _prose(text), flags=re.S | re.M)
    prose = re.sub(r"`[^`\n]*`", "", prose)  # code spans may hold a literal $
    return re.findall(r"\$([^$\n]+)\$", prose)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs") / "derivations.md"
    summary = derivations_doc.main(out)
    return out.read_text(encoding="utf-8"), summary


# ----------------------------------------------------------------------------- derivations.md


def test_committed_derivations_match_a_fresh_rendering(fresh):
    text, _ = fresh
    assert _text("derivations.md") == text, (
        "docs/derivations.md is out of date: run `python scripts/derivations_doc.py` (or `make figures`)"
    )


def test_script_reports_every_check(fresh):
    from gantheory import conjugates

    _, summary = fresh
    total = sum(len(d.checks) for d in symbolic.all_derivations())
    fgan = sum(len(d.checks) for d in conjugates.all_derivations())
    dynamic = sum(len(d.checks) for *_, d in derivations_doc._dynamics_derivations())
    assert summary == {"derivations written": "derivations.md", "sympy checks that hold": f"{total} of {total}",
                       "training-dynamics checks that hold": f"{dynamic} of {dynamic}",
                       "f-GAN table: sympy checks that hold": f"{fgan} of {fgan}"}


def test_every_statement_step_check_and_note_is_on_the_page(fresh):
    text, _ = fresh
    math = _display_math(text)
    for number, d in enumerate(symbolic.all_derivations(), start=1):
        section = text.split(f"\n## {number}. ", 1)[1].split("\n## ", 1)[0]
        assert f"**Source:** {derivations_doc.markdown_text(d.source)}." in section
        for index, step in enumerate(d.steps, start=1):
            assert f"**Step {index}:** {derivations_doc.markdown_text(step.explanation)}." in section
            assert derivations_doc.github_math(step.latex()) in math
        assert f"**Step {len(d.steps) + 1}:" not in section
        assert derivations_doc.github_math(d.latex()) in math
        assert f"({len(d.checks)} of {len(d.checks)} hold)" in section
        for check in d.checks:
            assert f"- holds: {derivations_doc.markdown_text(check.claim)}\n" in section
        assert f"**Notes.** {derivations_doc.markdown_text(d.notes)}" in section
        for assumption in d.assumptions:
            assert f"- {derivations_doc.markdown_text(assumption)}\n" in section
        assert ("**Assumed, not derived by sympy:**" in section) == bool(d.assumptions)


def test_a_failed_check_is_shown_as_failed(monkeypatch):
    d = symbolic.optimal_discriminator()
    broken = symbolic.Derivation(
        d.name, d.title, d.source, d.statement, d.steps,
        d.checks[:1] + (symbolic.Check("a claim sympy refuted", False),), d.notes,
    )
    monkeypatch.setattr(symbolic, "all_derivations", lambda: (broken,))
    monkeypatch.setattr(symbolic, "optimal_discriminator", lambda: broken)
    text = derivations_doc.render()
    assert "(1 of 2 hold)" in text
    assert "- **FAILED**: a claim sympy refuted" in text


def test_contents_links_reach_the_headings(fresh):
    text, _ = fresh
    anchors = {derivations_doc.anchor(h) for h in re.findall(r"^## (.+)$", text, re.M)}
    targets = re.findall(r"\]\(#([^)]+)\)", text)
    from gantheory import conjugates

    assert len(targets) == (len(symbolic.all_derivations()) + len(derivations_doc._dynamics_derivations())
                            + len(conjugates.all_derivations()))
    assert set(targets) <= anchors


# ----------------------------------------------------------------------------- the Markdown helpers


@pytest.mark.parametrize(
    ("tex", "safe"),
    [
        (r"\int f\, dx", r"\int f\thinspace dx"),
        (r"\mathrm{KL}\left(p \,\middle\|\, q\right)", r"\mathrm{KL}\left(p \mathrel{\Vert} q\right)"),
        (r"a \| b", r"a \Vert b"),
        (r"\{x\}", r"\lbrace x\rbrace"),
        (r"a\!b", r"a\negthinspace b"),
        (r"D^{*}_{G}", r"D^{\ast }_{G}"),
        (r"\frac{a}{b}", r"\frac{a}{b}"),
    ],
)
def test_github_math_keeps_the_meaning_without_markdown_escapes(tex, safe):
    assert derivations_doc.github_math(tex) == safe
    assert not ESCAPE.search(safe)


@pytest.mark.parametrize("tex", [r"a \\ b", r"a \; b", r"a \: b", r"\$5", "a $ b"])
def test_github_math_refuses_what_it_cannot_make_safe(tex):
    with pytest.raises(ValueError, match="Markdown would alter"):
        derivations_doc.github_math(tex)


def test_markdown_text_escapes_syntax_characters():
    assert derivations_doc.markdown_text("D*_G = p_data/(p_data + p_g)") == r"D\*\_G = p\_data/(p\_data + p\_g)"
    assert derivations_doc.markdown_text("KL(p || q) >= 0, x < 1") == r"KL(p || q) >= 0, x \< 1"
    with pytest.raises(ValueError, match="would start math"):
        derivations_doc.markdown_text("costs $5")


def test_anchor_follows_github_slugs():
    assert derivations_doc.anchor("5. The optimal discriminator's logit") == "5-the-optimal-discriminators-logit"
    assert derivations_doc.anchor("2. C is 2 JS - 2 log 2") == "2-c-is-2-js---2-log-2"


# ----------------------------------------------------------------------------- both pages


@pytest.mark.parametrize("name", PAGES)
def test_math_reaches_mathjax_unchanged(name):
    text = _text(name)
    formulas = _display_math(text) + _inline_math(text)
    assert formulas, f"{name} has no math to check"
    for tex in formulas:
        assert not ESCAPE.search(tex), f"{name}: Markdown would alter {tex!r}"
        assert "*" not in tex, f"{name}: '*' is Markdown emphasis; use \\ast in {tex!r}"
    assert _prose(text).count("$$") == 2 * len(_display_math(text)), f"{name}: unpaired $$"


@pytest.mark.parametrize("name", PAGES)
def test_every_python_block_is_a_doctest(name):
    blocks = [body for lang, body in FENCE.findall(_text(name)) if lang == "python"]
    assert blocks
    for body in blocks:
        assert body.startswith(">>> "), f"{name}: a python block that is not executed:\n{body}"
        # doctest ends an example's expected output at a blank line; without one the closing
        # fence would be read as output.
        assert body.endswith("\n\n"), f"{name}: a python block needs a blank line before its fence:\n{body}"


@pytest.mark.parametrize(
    ("name", "targets"),
    [
        ("derivations.md", {"coursework.md", "reproduction.md", "verification.md"}),
        ("coursework.md", {"derivations.md", "reproduction.md", "verification.md"}),
    ],
)
def test_pages_link_to_each_other(name, targets):
    links = set(re.findall(r"\]\(([\w.]+\.md)(?:#[^)]*)?\)", _text(name)))
    assert targets <= links
    for link in links:
        assert (DOCS / link).is_file(), f"{name} links to a missing {link}"


def test_coursework_links_to_headings_that_exist():
    pages = {"coursework.md": _text("coursework.md"), "derivations.md": _text("derivations.md"),
             "reproduction.md": _text("reproduction.md")}
    for page, fragment in re.findall(r"\]\(([\w.]*)#([^)]+)\)", pages["coursework.md"]):
        headings = re.findall(r"^#+ (.+)$", pages[page or "coursework.md"], re.M)
        assert fragment in {derivations_doc.anchor(h.replace("*", "")) for h in headings}, (page, fragment)


def test_coursework_has_twelve_exercises_with_task_hints_and_solution():
    text = _text("coursework.md")
    exercises = re.split(r"^## Exercise \d+: ", text, flags=re.M)[1:]
    assert len(exercises) == 12
    for exercise in exercises:
        body = exercise.split("\n## ", 1)[0]
        for part in ("**Task.**", "**Hints.**", "**Solution.**"):
            assert part in body
        solution = body.split("**Solution.**", 1)[1]
        assert "```python\n>>> " in solution

