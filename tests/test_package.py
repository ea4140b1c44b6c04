"""The package face: what `import gantheory` gives, and what it does not drag in."""

import re
import subprocess
import sys
from pathlib import Path

import gantheory as gt

ROOT = Path(__file__).resolve().parents[1]


def test_public_names_exist_and_match_the_api_contract():
    contract = {"Mixture", "kl_divergence", "js_divergence", "optimal_discriminator", "value_function",
                "virtual_criterion", "js_curve", "generator_gradients"}
    assert contract <= set(gt.__all__)
    assert all(hasattr(gt, name) for name in gt.__all__)


def test_each_public_name_is_the_object_of_the_module_it_is_said_to_live_in():
    # The package face imports lazily from its table _WHERE; each name must be that module's
    # object, and a static reader must see it too (the TYPE_CHECKING imports).
    import importlib

    source = (ROOT / "gantheory" / "__init__.py").read_text()
    typed = source[source.index("if TYPE_CHECKING:"):source.index("def __getattr__")]
    for name, module in gt._WHERE.items():
        assert getattr(gt, name) is getattr(importlib.import_module(f"gantheory.{module}"), name)
        assert re.search(rf"\b{name}\b", typed), f"{name} is missing from the TYPE_CHECKING imports"


def test_version_is_the_one_in_pyproject():
    declared = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    assert gt.__version__ == declared


def test_import_is_headless_and_light():
    # A fresh interpreter: importing the package face must not load plotting, sympy or hypothesis.
    code = "import sys, gantheory; print(sorted(m for m in ('matplotlib', 'sympy', 'hypothesis') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_typed_marker_ships_with_the_package():
    assert (Path(gt.__file__).parent / "py.typed").exists()
