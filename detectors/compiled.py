"""The detection core compiled to C by Cython: the same source, run about a third faster.

``make install`` (or ``pantau compile``) compiles the modules named in ``MODULES`` into
``build/compiled/detectors/``, with a manifest of the SHA-256 of each source it compiled. Importing
``detectors`` puts that directory first on the package's path only while every source still matches its
manifest entry, for this Python. Otherwise, after any edit and until the next build, the sources run as they
are: a compiled module never runs code other than what its source says. ``PANTAU_PURE=1`` forces the
sources; the compiled and the pure core give byte-identical alerts (``tests/unit/test_compiled.py``).

The sources are plain, type-hinted Python, which Cython compiles as they stand, with Python's semantics
(type hints are not enforced, floating point rounds as in the interpreter). Where a loop over arrays pays
for C types, a ``.pxd`` beside the module declares them (Cython's "augmenting .pxd"), and a ``# cython:``
comment at the module's top drops bounds checks in them; the interpreter reads neither. Such a module keeps
a vectorised numpy path for when it runs from source, and a test holds the two paths to the same bits.
Where Cython or a C compiler is missing, ``pantau compile`` fails and says so, and the service runs on the
sources. A package installed (not editable) runs its sources until `pantau compile` runs with it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import sys
import sysconfig
import time
from pathlib import Path
from typing import Any

import orjson

# The modules on the per-post path, and those they import (labels: read when a story is raised); the rest
# (backtest, evaluation, this one) gains nothing from compiling.
MODULES = (
    *("core", "entities", "incidents", "labels", "lexicon", "relevance", "significance", "text"),
    # the incident tracker's stages
    *("assessment", "candidates", "matching", "merging", "places", "rendering", "story", "storybook", "threads"),
)
SOURCE_DIR = Path(__file__).resolve().parent
BUILD_DIR = SOURCE_DIR.parent / "build" / "compiled"
MANIFEST = BUILD_DIR / "manifest.json"
PURE_ENV = "PANTAU_PURE"


# Python semantics exactly: argument annotations are not enforced as C types (a frozenset where a set is
# annotated, an int where a float is), and no multiply-add is fused (sums round as the interpreter's do).
_DIRECTIVES = {"language_level": 3, "annotation_typing": False}
_CFLAGS = ["-ffp-contract=off"]


def _abi() -> str:
    # A compiled module loads only into the interpreter it was built for.
    return f"{sys.implementation.cache_tag}{sysconfig.get_config_var('EXT_SUFFIX')}"


def _sources() -> dict[str, Path]:
    # Each module's source, and its C declarations where it has them: an edit to either makes the build stale.
    paths = {name: SOURCE_DIR / f"{name}.py" for name in MODULES}
    paths.update(
        {f"{name}.pxd": SOURCE_DIR / f"{name}.pxd" for name in MODULES if (SOURCE_DIR / f"{name}.pxd").exists()}
    )
    return paths


def _digests() -> dict[str, str]:
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in _sources().items()}


def _binary(name: str) -> Path:
    return BUILD_DIR / "detectors" / f"{name}{sysconfig.get_config_var('EXT_SUFFIX')}"


def _manifest() -> dict[str, Any]:
    try:
        manifest = orjson.loads(MANIFEST.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def _binaries_missing(manifest: dict[str, Any]) -> list[str]:
    # Each module as it was built, by size: a deleted or replaced file is not the build the manifest describes.
    sizes = manifest.get("binaries", {})
    return [n for n in MODULES if not _binary(n).is_file() or _binary(n).stat().st_size != sizes.get(n)]


def status() -> tuple[Path | None, str]:
    """Where the compiled modules are, if they are to be used, and why (not)."""
    if os.environ.get(PURE_ENV):
        return None, f"{PURE_ENV} is set: running the sources"
    manifest = _manifest()
    if not manifest:
        return None, "not compiled (make install compiles it): running the sources"
    if manifest.get("abi") != _abi():
        return None, f"compiled for {manifest.get('abi')}, this is {_abi()}: running the sources"
    recorded, digests = manifest.get("sources", {}), _digests()
    changed = sorted(name for name in {*recorded, *digests} if recorded.get(name) != digests.get(name))
    if changed:
        return None, f"sources changed since the build ({', '.join(changed)}): running the sources"
    missing = _binaries_missing(manifest)
    if missing:
        return None, f"compiled modules missing or replaced ({', '.join(missing)}): running the sources"
    return BUILD_DIR / "detectors", "compiled"


def build() -> tuple[bool, str]:
    """Compile ``MODULES`` into ``BUILD_DIR``; return whether the compiled core is ready, and what was done.

    Everything is compiled afresh, whatever the files' times say: a source restored with an old time
    (``cp -p``, ``tar``) would otherwise keep the C of its edit. The manifest is written last, from the
    sources as they were read for compiling: a build that fails or races an edit leaves the sources in use.
    """
    digests = _digests()
    try:
        import Cython  # noqa: F401  # a build-time tool only: the service runs without it
        from Cython.Build import cythonize
        from setuptools import Distribution, Extension
    except ImportError as exc:
        return False, f"not compiled ({exc.name} is not installed): running the sources"
    recipe = {
        "abi": _abi(),
        "sources": digests,
        "cython": importlib.metadata.version("Cython"),
        "directives": _DIRECTIVES,
    }
    manifest = _manifest()
    if manifest and all(manifest.get(k) == v for k, v in recipe.items()) and not _binaries_missing(manifest):
        return True, "compiled modules are up to date"
    started = time.perf_counter()
    MANIFEST.unlink(missing_ok=True)
    for stale in ("detectors", "c", "tmp"):
        shutil.rmtree(BUILD_DIR / stale, ignore_errors=True)
    try:
        extensions = cythonize(
            [
                Extension(f"detectors.{name}", [str(SOURCE_DIR / f"{name}.py")], extra_compile_args=_CFLAGS)
                for name in MODULES
            ],
            build_dir=str(BUILD_DIR / "c"),
            compiler_directives=_DIRECTIVES,
            nthreads=os.cpu_count() or 1,
            force=True,
            quiet=True,
        )
        distribution = Distribution({"name": "pantau-compiled", "ext_modules": extensions})
        command = distribution.get_command_obj("build_ext")
        command.build_lib = str(BUILD_DIR)
        command.build_temp = str(BUILD_DIR / "tmp")
        command.parallel = os.cpu_count() or 1
        distribution.run_command("build_ext")
    except Exception as exc:  # no C compiler, no Python headers: a slower service, not a broken one
        return False, f"not compiled ({type(exc).__name__}: {exc}): running the sources"
    binaries = {name: _binary(name).stat().st_size for name in MODULES}
    MANIFEST.write_bytes(orjson.dumps({**recipe, "binaries": binaries}))
    return True, f"compiled {len(MODULES)} modules in {time.perf_counter() - started:.0f} s"
