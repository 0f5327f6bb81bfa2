"""The rule docs as `sparkguard rule CODE --output-format json` prints them.

The docs are the one source: nothing here keeps a copy of a snippet. Each rule's
`## Example` and `## Use instead` sections hold fenced code blocks; the proof runs
the `python` ones (and the `shell` one of SG401) exactly as printed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def binary() -> Path:
    named = os.environ.get("SPARKGUARD_BIN")
    path = Path(named) if named else ROOT / "target" / "debug" / "sparkguard"
    if not path.is_file():
        raise FileNotFoundError(
            f"no sparkguard binary at {path}: build it (`cargo build`) or set SPARKGUARD_BIN"
        )
    return path


@dataclass
class RuleDocs:
    code: str
    name: str
    docs: str
    sections: dict[str, str] = field(default_factory=dict)

    def blocks(self, section: str, language: str) -> list[str]:
        text = self.sections.get(section, "")
        return [body for lang, body in FENCE.findall(text) if lang == language]

    def block(self, section: str, language: str) -> str:
        found = self.blocks(section, language)
        assert len(found) == 1, (
            f"{self.code} `## {section}` has {len(found)} {language} blocks, the proof needs one"
        )
        return found[0]


def _sections(docs: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", docs, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


@lru_cache(maxsize=None)
def all_rules() -> dict[str, RuleDocs]:
    listing = subprocess.run(
        [str(binary()), "rules"], check=True, capture_output=True, text=True
    ).stdout
    codes = [line.split()[0] for line in listing.splitlines() if line.strip()]
    rules = {}
    for code in codes:
        out = subprocess.run(
            [str(binary()), "rule", code, "--output-format", "json"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        data = json.loads(out)
        rules[code] = RuleDocs(
            code=data["code"], name=data["name"], docs=data["docs"], sections=_sections(data["docs"])
        )
    return rules


def check(paths: list[Path]) -> dict[Path, list[str]]:
    """Codes sparkguard reports for each file, through the real binary, in one run.

    Every rule is selected, those off by default too (SG105): each Example must be
    flagged by its rule, and a Use-instead by none.
    """
    proc = subprocess.run(
        [
            str(binary()),
            "check",
            # A prefix leaves default-off rules out; naming every code turns them on.
            "--select",
            ",".join(all_rules()),
            "--output-format",
            "json",
            "--no-color",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode in (0, 1), f"sparkguard failed: {proc.stderr}"
    found: dict[Path, list[str]] = {Path(p): [] for p in paths}
    for finding in json.loads(proc.stdout or "[]"):
        found[Path(finding["path"])].append(finding["code"])
    return found
