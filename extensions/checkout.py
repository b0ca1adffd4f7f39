"""Import ``extensions.*`` from this checkout of the template.

Copier loads each extension by path, outside any package, so ``extensions`` is not
importable as such; and ``copier update`` renders the old release and the new one in
one process. The extensions that import their siblings run this file by path (it
cannot be imported either) and wrap their imports in ``this_checkout()``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def this_checkout() -> Iterator[None]:
    """Put this checkout first on the import path; set another checkout's ``extensions`` aside.

    So each render of ``copier update`` reads its own release's registry.
    """
    root = Path(__file__).resolve().parent.parent
    loaded = sys.modules.get("extensions")
    other = loaded is not None and Path(loaded.__file__ or "").resolve().parent.parent != root
    stashed = {name: sys.modules.pop(name) for name in _loaded_extensions()} if other else {}
    sys.path.insert(0, str(root))
    try:
        yield
    finally:
        sys.path.remove(str(root))
        if other:
            for name in _loaded_extensions():
                del sys.modules[name]
            sys.modules.update(stashed)


def _loaded_extensions() -> list[str]:
    return [name for name in sys.modules if name == "extensions" or name.startswith("extensions.")]
