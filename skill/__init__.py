"""The backend skill: ``{task, framework}`` in, ``{code, schema, best_practices}`` out.

A thin runner over this Copier template (see SKILL.md at the repository root for
the contract, and ``python -m skill --help`` for the command line).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKILL_MD = ROOT / "SKILL.md"
