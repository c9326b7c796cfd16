"""Merge Korean translations into resources/translations/ko.json.

    python tools/add_translations.py NEW.json        # {"English source": "한국어", ...}
    echo '{"Save": "저장"}' | python tools/add_translations.py -

Entries in NEW.json replace existing ones; the catalogue stays sorted and formatted as
tools/extract_strings.py writes it. A lock file makes concurrent merges safe.
"""

from __future__ import annotations

import fcntl
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "resources" / "translations" / "ko.json"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    text = sys.stdin.read() if argv[0] == "-" else Path(argv[0]).read_text(encoding="utf-8")
    new = json.loads(text)
    if not isinstance(new, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                            for k, v in new.items()):
        print("error: expected a JSON object of English -> Korean strings", file=sys.stderr)
        return 2
    with open(CATALOGUE.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        old = json.loads(CATALOGUE.read_text(encoding="utf-8"))
        old.update(new)
        merged = {k: old[k] for k in sorted(old)}
        tmp = CATALOGUE.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(merged, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.replace(CATALOGUE)
    print(f"{len(new)} entries merged, {len(merged)} in the catalogue")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
