"""A corpus of awkward CSV files, written on demand (nothing large is committed).

Each :class:`Case` is one file as people really send them: empty, header only, one column, a
byte order mark, cp949 and latin-1, ragged rows, quoted line breaks, repeated or missing column
names, an all-empty column, ``inf`` and ``1e400``, text among numbers, integers too large for
64 bits, thousands of classes, a target with one class or with gaps, one or two rows, a field of
five million characters and binary garbage.

``expect`` says what loading it must do: ``"ok"`` (it loads, possibly with warnings) or
``"error"`` (a :class:`~studio.core.errors.StudioError` with a specific message). ``train``
says the same for ``studio train FILE --target TARGET``: ``"ok"``, ``"error"`` or ``None``
(either is fine, as long as there is no traceback). ``message`` is a fragment the error must
contain, so that "a specific message" means something.

Run ``python tests/hardening/corpus.py FOLDER`` to write the files for a look by hand.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Case:
    name: str
    content: bytes
    expect: str                    # "ok" | "error" when loading
    target: str | None = None      # the column for `studio train`
    train: str | None = None       # "ok" | "error" | None (either)
    message: str = ""              # a fragment of the loading error's message
    train_message: str = ""        # a fragment of the training error's message

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


def _numeric_table(n: int, seed: int = 0, classes: tuple[str, ...] = ("a", "b")) -> str:
    rng = np.random.default_rng(seed)
    lines = ["x1,x2,label"]
    for i in range(n):
        x1, x2 = rng.normal(size=2)
        lines.append(f"{x1:.4f},{x2:.4f},{classes[i % len(classes)]}")
    return "\n".join(lines) + "\n"


def _lines(rows: list[str]) -> bytes:
    return ("\n".join(rows) + "\n").encode("utf-8")


def cases() -> list[Case]:
    rng = np.random.default_rng(1)
    base = _numeric_table(60)
    out: list[Case] = []
    add = out.append

    add(Case("empty", b"", "error", "label", "error", message="empty"))
    add(Case("blank_lines", b"\n\n  \n\r\n", "error", "label", "error", message="empty"))
    add(Case("header_only", b"x1,x2,label\n", "error", "label", "error",
             message="no data rows"))
    add(Case("one_column", _lines(["value"] + [str(i % 7) for i in range(50)]), "ok",
             "value", "error", train_message="feature"))
    add(Case("utf8_bom", b"\xef\xbb\xbf" + base.encode("utf-8"), "ok", "label", "ok"))
    korean = ["키,몸무게,성별"] + [f"{150 + i % 40},{45 + i % 30},{'남' if i % 2 else '여'}"
                                  for i in range(60)]
    add(Case("cp949", ("\n".join(korean) + "\n").encode("cp949"), "ok", "성별", "ok"))
    latin = ["ville,temp,label"] + [f"{'Besançon' if i % 2 else 'Zürich'},{i % 13}.5,"
                                    f"{'oui' if i % 3 else 'non'}" for i in range(60)]
    add(Case("latin1", ("\n".join(latin) + "\n").encode("latin-1"), "ok", "label", "ok"))
    ragged = base.splitlines()
    ragged[5] += ",9,9"
    ragged[9] = ragged[9].split(",")[0]
    add(Case("ragged_rows", _lines(ragged), "ok", "label", "ok"))
    quoted = ["note,x1,label"] + [f'"line one\nline two, with comma {i}",{i % 5},'
                                  f"{'a' if i % 2 else 'b'}" for i in range(60)]
    add(Case("quoted_newlines", _lines(quoted), "ok", "label", "ok"))
    dup = ["x,x,x,label"] + [f"{i},{i * 2 % 7},{i % 3},{'a' if i % 2 else 'b'}"
                             for i in range(60)]
    add(Case("duplicate_headers", _lines(dup), "ok", "label", "ok"))
    add(Case("no_header", _lines([f"{rng.normal():.3f},{rng.normal():.3f},{i % 2}"
                                  for i in range(60)]), "ok", None, None))
    nan_col = ["x1,empty,label"] + [f"{i % 9},,{'a' if i % 2 else 'b'}" for i in range(60)]
    add(Case("all_nan_column", _lines(nan_col), "ok", "label", "ok"))
    add(Case("all_nan_target", _lines(["x1,label"] + [f"{i}," for i in range(60)]), "ok",
             "label", "error", train_message="label"))
    infs = ["x1,x2,label"] + [f"{v},{i % 5},{'a' if i % 2 else 'b'}" for i, v in
                              enumerate(["inf", "-inf", "1e400", "-1e400", "nan"]
                                        + [str(j * 0.5) for j in range(55)])]
    add(Case("inf_and_1e400", _lines(infs), "ok", "label", "ok"))
    inf_target = ["x1,y"] + [f"{i % 7},{v}" for i, v in
                             enumerate(["inf", "1e400"] + [f"{j * 1.5:.2f}" for j in range(58)])]
    add(Case("inf_in_target", _lines(inf_target), "ok", "y", "ok"))
    text_num = ["x1,x2,label"] + [f"{'oops' if i == 7 else i % 11},{i % 3},"
                                  f"{'a' if i % 2 else 'b'}" for i in range(60)]
    add(Case("text_in_numeric_column", _lines(text_num), "ok", "label", "ok"))
    huge = ["big,x2,label"] + [f"{10 ** 30 + i * 7919},{i % 4},{'a' if i % 2 else 'b'}"
                               for i in range(60)]
    add(Case("huge_integers", _lines(huge), "ok", "label", "ok"))
    huge_target = ["x1,y"] + [f"{i % 5},{(i + 1) * 10 ** 25}" for i in range(60)]
    add(Case("huge_integer_target", _lines(huge_target), "ok", "y", None))
    many = ["x1,x2,label"] + [f"{rng.normal():.3f},{rng.normal():.3f},class_{i % 3000}"
                              for i in range(6000)]
    add(Case("thousands_of_classes", _lines(many), "ok", "label", None))
    add(Case("single_class_target", _lines(["x1,x2,label"] + [f"{i},{i % 3},same"
                                                             for i in range(60)]),
             "ok", "label", "error", train_message="label"))
    gaps = ["x1,x2,label"] + [f"{i % 9},{i % 4},{'' if i % 5 == 0 else 'ab'[i % 2]}"
                              for i in range(80)]
    add(Case("target_with_missing_values", _lines(gaps), "ok", "label", "ok"))
    add(Case("one_row", _lines(["x1,x2,label", "1,2,a"]), "ok", "label", "error"))
    add(Case("two_rows", _lines(["x1,x2,label", "1,2,a", "3,4,b"]), "ok", "label", "error"))
    big_field = ["x1,note,label"] + [f"{i % 9},{'z' * 5_000_000 if i == 3 else 'short'},"
                                     f"{'a' if i % 2 else 'b'}" for i in range(40)]
    add(Case("five_million_char_field", _lines(big_field), "ok", "label", "ok"))
    add(Case("binary_garbage", bytes(np.random.default_rng(7).integers(0, 256, 4096,
                                                                        dtype=np.uint8)),
             "error", "label", "error", message="binary"))
    add(Case("nul_bytes", b"x1,x2\x00,label\n1,2,a\n", "error", "label", "error",
             message="binary"))
    add(Case("excel_workbook", b"PK\x03\x04" + b"\x00" * 200, "error", "label", "error",
             message="Excel"))
    add(Case("unclosed_quote", _lines(["x1,label", '1,"a', "2,b"]), "error", "label",
             "error", message="quotation mark"))
    add(Case("utf16_bom", ("\ufeff" + base).encode("utf-16-le"), "ok", "label", "ok"))
    add(Case("mixed_line_endings", base.replace("\n", "\r\n", 20).encode("ascii"), "ok",
             "label", "ok"))
    add(Case("missing_target_column", base.encode("ascii"), "ok", "nope", "error",
             train_message="nope"))
    wide = [",".join(f"c{j}" for j in range(200)) + ",label"] + [
        ",".join(str(v) for v in rng.integers(0, 10, 200)) + f",{'ab'[i % 2]}"
        for i in range(40)]
    add(Case("two_hundred_columns", _lines(wide), "ok", "label", "ok"))
    return out


def write_corpus(folder: str | Path) -> dict[str, Path]:
    """Write every case into ``folder``; returns ``{name: path}``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for case in cases():
        path = folder / case.filename
        path.write_bytes(case.content)
        paths[case.name] = path
    return paths


if __name__ == "__main__":  # pragma: no cover - a helper for looking at the files by hand
    where = write_corpus(sys.argv[1] if len(sys.argv) > 1 else "corpus")
    print(f"wrote {len(where)} files")
