"""The ``studio`` command: the GUI with no arguments, headless subcommands otherwise.

A user error (a :class:`~studio.core.errors.StudioError`) exits with status 2 and one line on
stderr that starts with ``error:``; anything else escaping is a bug.

One module of about 500 lines: every subcommand's parser and handler side by side, so
the command's whole surface reads in one place; the work itself is in studio.core.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from studio import __version__
from studio.core.errors import StudioError
from studio.core.i18n import _, ngettext, set_language, system_language

EXIT_USER_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage dump
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def _print(*parts: object) -> None:
    if sys.stdout is not None:
        print(*parts, flush=True)


def _safe_console() -> None:
    """Characters the console cannot show (Korean on a cp1252 Windows console or redirect)
    are written as ``\\uXXXX`` escapes instead of stopping the command with a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        with contextlib.suppress(ValueError, OSError):       # a closed or detached stream
            reconfigure(errors="backslashreplace")


def _err(message: str) -> None:
    if sys.stderr is not None:
        print(f"error: {message}", file=sys.stderr, flush=True)


def _width(text: str) -> int:
    """Columns a string takes in a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(text: str, width: int, right: bool = False) -> str:
    """``text`` cut and padded to ``width`` terminal columns."""
    out = ""
    for c in text:
        if _width(out + c) > width:
            break
        out += c
    pad = " " * (width - _width(out))
    return pad + out if right else out + pad


def _split_list(text: str | None) -> list[str]:
    return [c.strip() for c in (text or "").split(",") if c.strip()]


def _read_options(args):
    """The read options the flags ask for; their values are checked by the reader
    (:func:`studio.core.data.check_read_options`), the same check a project file's get."""
    from studio.core.data import ReadOptions

    return ReadOptions(encoding=args.encoding, sep=args.sep, decimal=args.decimal,
                       header=not getattr(args, "no_header", False),
                       na_values=list(getattr(args, "missing", None) or []),
                       number_columns=_split_list(getattr(args, "numbers", None)),
                       strip_spaces=bool(getattr(args, "strip_spaces", False)),
                       comment=getattr(args, "comment", None))


def _add_read_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--encoding", help=_("override the detected encoding (e.g. utf-8, cp949)"))
    p.add_argument("--sep", help=_("override the detected separator (',', ';', 'tab')"))
    p.add_argument("--decimal", help=_("override the decimal mark ('.' or ',')"))
    p.add_argument("--no-header", action="store_true",
                   help=_("the first row is data, not column names (columns are then named "
                          "column_1, column_2, ...)"))
    p.add_argument("--missing", action="append", metavar="MARKER",
                   help=_("a value that means 'missing', like ? or - (repeat for more)"))
    p.add_argument("--numbers", metavar="COLUMNS",
                   help=_("columns to read as numbers after removing currency signs, "
                          "thousands separators and percent signs (separated by commas)"))
    p.add_argument("--strip-spaces", action="store_true",
                   help=_("remove spaces around text values ('Seoul ' becomes 'Seoul')"))
    p.add_argument("--comment", metavar="CHAR",
                   help=_("skip lines that start with this character (e.g. #)"))


def _flag_for(finding) -> str:
    """The command-line flag that applies a messy-value finding (studio.core.messy)."""
    import shlex

    ch = finding.changes
    if "na_values" in ch:
        return " ".join(f"--missing {shlex.quote(v)}" for v in ch["na_values"])
    if "number_columns" in ch:
        return "--numbers " + shlex.quote(",".join(ch["number_columns"]))
    if ch.get("strip_spaces"):
        return "--strip-spaces"
    if ch.get("comment"):
        return "--comment " + shlex.quote(ch["comment"])
    return ""


# -- commands ---------------------------------------------------------------------------------
def cmd_info(args) -> int:
    from studio.core.data import load

    ds = load(args.data, _read_options(args))
    info = ds.info
    sep_name = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}.get(info.sep, info.sep)
    _print(_("File:      {name}", name=args.data))
    _print(_("Encoding:  {enc}", enc=info.encoding))
    _print(_("Separator: {sep}   Decimal mark: {dec}", sep=sep_name, dec=info.decimal))
    _print(_("Rows:      {n}   Columns: {m}", n=info.rows, m=info.columns))
    for w in info.warnings:
        _print(_("Warning:   {text}", text=w))
    from studio.core import messy

    options = _read_options(args)
    for step in messy.describe_options(options):
        _print(_("Cleaning:  {text}", text=step))
    for finding in messy.detect(ds.frame, info, options):
        flag = _flag_for(finding)
        _print(_("Found:     {text}", text=finding.message)
               + (" " + _("(studio: {flag})", flag=flag) if flag else ""))
    _print("")
    header = (f"{_cell(_('column'), 24)} {_cell(_('type'), 12)} {_cell(_('missing'), 8, True)} "
              f"{_cell(_('unique'), 8, True)}  {_cell(_('range'), 28)} {_('suggested role')}")
    _print(header)
    _print("-" * _width(header))
    for p in ds.profiles:
        rng = ""
        if p.minimum is not None and p.maximum is not None:
            rng = f"{p.minimum:.4g} .. {p.maximum:.4g}"
        elif p.top_values:
            rng = ", ".join(v for v, _n in p.top_values[:3])
        _print(f"{_cell(p.name, 24)} {_cell(_(p.kind), 12)} {p.missing:>8} {p.unique:>8}  "
               f"{_cell(rng, 28)} {_(p.suggested_role)}")
    return 0


def cmd_samples(args) -> int:
    from studio.core.data import list_samples

    for s in list_samples():
        _print(f"sample:{s.name:<16} {_(s.task):<11} {_cell(_('target') + '=' + s.target, 20)}"
               f"{s.rows:>5} {_('rows')}  {s.title}")
    return 0


def cmd_new(args) -> int:
    from studio.core.project import new_project

    proj = new_project(args.data, args.target, _split_list(args.ignore),
                       read_options=_read_options(args), task=args.task)
    out = Path(args.output)
    proj.save(out)
    _print(_("Wrote {path}: {n} layers, {p} parameters.", path=str(out),
             n=len(proj.design.layers), p=proj.design.param_count().total))
    return 0


def _load_or_make_project(args):
    from studio.core.project import Project, new_project

    if args.project:
        if args.data or args.target:
            raise StudioError(_("Give either --project or DATA with --target, not both."))
        return Project.load(args.project)
    if not args.data:
        raise StudioError(_("Give a CSV file (or sample:NAME) with --target, or --project "
                            "PROJECT.json."))
    if not args.target:
        raise StudioError(_("Name the column to predict with --target."))
    return new_project(args.data, args.target, _split_list(args.ignore),
                       read_options=_read_options(args), task=args.task)


def _format_logs(logs: dict[str, float]) -> str:
    keys = [k for k in logs if k not in ("seconds", "learning_rate")]
    keys.sort(key=lambda k: (k.startswith("val_"), k != "loss" and k != "val_loss", k))
    return "  ".join(f"{k} {logs[k]:.4f}" for k in keys)


def cmd_train(args) -> int:
    from studio.core import doctor

    proj = _load_or_make_project(args)
    if args.epochs is not None:
        proj.training.epochs = args.epochs
    if args.batch_size is not None:
        proj.training.batch_size = args.batch_size
    if args.seed is not None:
        proj.training.seed = args.seed
        proj.split.seed = args.seed
    if args.device:
        proj.training.device = args.device
    ds = proj.load_data()
    findings = doctor.diagnose(proj, ds)
    for f in findings:
        _print(f"[{_(f.severity)}] {f.title}")
        if f.severity != "info":
            _print(f"    {f.fix}")
    first = doctor.first_error(findings)
    if first is not None:
        raise StudioError(ngettext("the design doctor found {n} error; first: {title}",
                                   "the design doctor found {n} errors; first: {title}",
                                   len(doctor.errors(findings)), title=first.title))
    from studio.core.fileio import folder_lock

    out = Path(args.out)
    with folder_lock(out):          # a second run into the same folder stops here, at once
        return _train_into(proj, ds, out)


def _train_into(proj, ds, out: Path) -> int:
    from studio.core.train import train

    total = proj.training.epochs

    def on_epoch(epoch: int, logs: dict[str, float]) -> None:
        _print(f"epoch {epoch:>4}/{total}  {_format_logs(logs)}  ({logs['seconds']:.2f}s)")

    result = train(proj, ds, on_epoch=on_epoch, check=False)
    from studio.core.results import save_run

    save_run(result, out)
    m = result.metrics_document()
    _print(ngettext("Stopped: {reason} after {n} epoch (best epoch {best}); {s:.1f}s on {device}.",
                    "Stopped: {reason} after {n} epochs (best epoch {best}); {s:.1f}s on {device}.",
                    result.epochs_run, reason=_(result.stopped_reason), best=result.best_epoch,
             s=result.seconds, device=result.device))
    names = ["mae", "mse", "rmse", "r2"] if result.prepared.task == "regression" else \
        ["accuracy", "precision", "recall", "f1", "auc"]
    _print(_("Test split:") + "  " + "  ".join(f"{k} {m[k]:.4f}" for k in names if k in m))
    from studio.core.curve_reading import read_result

    for reading in read_result(result, proj):
        _print(_("Learning curves: {title}", title=reading.title))
        _print(f"    {reading.text}")
        if reading.fix:
            _print(f"    {reading.fix}")
    _print(_("Wrote {path}", path=str(out)))
    return 0


def cmd_search(args) -> int:
    from studio.core.experiments.search import apply_best, check_metric, search
    from studio.core.experiments.space import default_space, normalise_space, parse_param
    from studio.core.project import Project

    proj = Project.load(args.project)
    # every value checked against the project's rules before anything is printed or trained
    space = normalise_space(dict(parse_param(p) for p in (args.param or []))
                            or default_space(proj))
    check_metric(proj, args.metric)
    if args.trials < 1:
        raise StudioError(_("--trials must be at least 1."))
    _print(ngettext("Searching {strategy}: {n} trial, choosing on the validation split by "
                    "{metric}.", "Searching {strategy}: {n} trials, choosing on the validation "
                    "split by {metric}.", args.trials, strategy=args.strategy,
                    metric=args.metric or "val_loss"))
    for name, values in space.items():
        _print(f"    {name}: {values}")

    def on_trial(row) -> None:
        score = "-" if row["score"] is None else f"{row['score']:.4f}"
        _print(_("trial {n}: {params} -> {score} ({status})", n=row["trial"],
                 params=", ".join(f"{k}={v}" for k, v in row["params"].items()),
                 score=score, status=row["status"]))

    result = search(proj, space=space, strategy=args.strategy, trials=args.trials,
                    seconds=args.seconds, metric=args.metric, epochs=args.epochs,
                    seed=args.seed, on_trial=on_trial)
    table = result.table()
    if not table:
        raise StudioError(_("no trial finished; try other values or more epochs"))
    names = list(space)
    header = ["#", *names, result.metric, _("best epoch"), _("seconds")]
    rows = [[str(t["trial"]), *(f"{t[k]:g}" if isinstance(t[k], float) else str(t[k])
                               for k in names),
             f"{t['score']:.4f}", str(t["best_epoch"]), f"{t['seconds']:.1f}"] for t in table]
    widths = [max(_width(h), *(_width(r[i]) for r in rows)) for i, h in enumerate(header)]
    _print("  ".join(_cell(h, w) for h, w in zip(header, widths)))
    for r in rows:
        _print("  ".join(_cell(c, w, right=i > 0) for i, (c, w) in enumerate(zip(r, widths))))
    best = apply_best(proj, result)
    _print(_("Best settings: {params} ({metric} {score:.4f})",
             params=", ".join(f"{k}={v}" for k, v in best.items()), metric=result.metric,
             score=table[0]["score"]))
    if args.apply:
        proj.save(args.project)
        _print(_("Applied the best settings to {path}", path=str(args.project)))
    return 0


def cmd_snapshot(args) -> int:
    import os

    # Before the QApplication exists; an explicitly chosen platform wins.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from studio.ui.shell.snapshot import DEFAULT_SIZE, parse_size, render_snapshot

    size = parse_size(args.size) if args.size else DEFAULT_SIZE
    if args.project and (args.data or args.target):
        raise StudioError(_("Give either --project or DATA with --target, not both."))
    out = render_snapshot(args.output, data=args.data, target=args.target,
                          project=args.project, read_options=_read_options(args),
                          train_epochs=args.train_epochs, tab=args.tab, size=size,
                          presentation=bool(getattr(args, "presentation", False)),
                          presentation_theme=getattr(args, "theme", None) or "light",
                          colours=args.colours, sketch=bool(args.sketch))
    _print(_("Wrote {path}", path=str(out)))
    return 0


def cmd_export(args) -> int:
    from studio.core.codegen import export
    from studio.core.project import Project

    proj = Project.load(args.project)
    out = export(proj, args.output, fmt=args.format, data_path=args.data_path)
    _print(_("Wrote {path}", path=str(out)))
    return 0


def cmd_predict(args) -> int:
    """Exit 0 when at least one row was predicted (rows that could not be are counted on
    stderr and explained in the 'reason' column); 2, writing nothing, when none could be or
    the data lacks the model's columns."""
    from studio.core.predict import predict_csv

    result = predict_csv(args.model, args.data, args.output, options=_read_options(args))
    if args.output:
        _print(_("Wrote {n} predictions to {path}", n=result.predicted, path=str(args.output)))
    else:
        _print(result.table.to_csv(index=False).rstrip("\n"))
    for line in result.summary():
        if sys.stderr is not None:
            print(_("warning: {message}", message=line), file=sys.stderr, flush=True)
    return 0


def cmd_gui(args=None) -> int:
    from studio.preflight import check_gui_can_start

    check_gui_can_start()      # before Qt: a missing xcb library or display aborts Qt itself
    from studio.ui.shell.app import run_gui

    return run_gui(sys.argv[:1], data=getattr(args, "data", None),
                   language=getattr(args, "lang", None))


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="studio", description=_("NetSketch Studio: draw, train and evaluate Keras "
                                             "networks on your own tabular data."))
    p.add_argument("--version", action="version", version=f"NetSketch Studio {__version__}")
    p.add_argument("--lang", choices=("en", "ko"), help=_("language of messages"))
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    g = sub.add_parser("gui", help=_("open the studio window (the default)"))
    g.add_argument("data", nargs="?", help=_("a CSV file or sample:NAME to open"))
    g.set_defaults(func=cmd_gui)

    s = sub.add_parser("info", help=_("detected encoding and separator, rows, column profile"))
    s.add_argument("data", help=_("a CSV file or sample:NAME"))
    _add_read_args(s)
    s.set_defaults(func=cmd_info)

    s = sub.add_parser("samples", help=_("the bundled sample datasets"))
    s.set_defaults(func=cmd_samples)

    s = sub.add_parser("new", help=_("a project with the default design for that data"))
    s.add_argument("data", help=_("a CSV file or sample:NAME"))
    s.add_argument("--target", required=True, help=_("the column to predict"))
    s.add_argument("--ignore", help=_("columns to leave out, separated by commas"))
    s.add_argument("--task", choices=("regression", "binary", "multiclass"),
                   help=_("override the inferred task"))
    s.add_argument("-o", "--output", required=True, help=_("the project file to write"))
    _add_read_args(s)
    s.set_defaults(func=cmd_new)

    s = sub.add_parser("train", help=_("train a project, or a CSV with --target"))
    s.add_argument("data", nargs="?", help=_("a CSV file or sample:NAME"))
    s.add_argument("--target", help=_("the column to predict"))
    s.add_argument("--ignore", help=_("columns to leave out, separated by commas"))
    s.add_argument("--task", choices=("regression", "binary", "multiclass"),
                   help=_("override the inferred task"))
    s.add_argument("--project", help=_("a project file instead of DATA"))
    s.add_argument("--epochs", type=int, help=_("number of epochs"))
    s.add_argument("--batch-size", type=int, help=_("batch size"))
    s.add_argument("--seed", type=int, help=_("random seed for the split and the weights"))
    s.add_argument("--device", choices=("auto", "cpu", "gpu"), help=_("where to train"))
    s.add_argument("--out", default="studio-run", help=_("output folder (default: studio-run)"))
    _add_read_args(s)
    s.set_defaults(func=cmd_train)

    s = sub.add_parser("search", help=_("search hyperparameters on the validation split"))
    s.add_argument("project", help=_("the project file (PROJECT.json)"))
    s.add_argument("--strategy", choices=("grid", "random", "bayes"), default="random",
                   help=_("grid, random or bayes (default: random)"))
    s.add_argument("--trials", type=int, default=10, help=_("the most trials to run"))
    s.add_argument("--param", action="append", metavar="NAME=VALUES",
                   help=_("a parameter to search: units, layers, activation, dropout, l2, "
                          "lr, batch_size or optimizer, with values a,b,c or a range "
                          "low:high; repeat for more"))
    s.add_argument("--seconds", type=float, help=_("stop starting trials after this time"))
    s.add_argument("--metric", help=_("the validation metric to choose by (default: "
                                      "val_loss)"))
    s.add_argument("--epochs", type=int, help=_("the most epochs per trial"))
    s.add_argument("--seed", type=int, default=0, help=_("random seed of the search"))
    s.add_argument("--apply", action="store_true",
                   help=_("save the best settings into the project file"))
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("snapshot", help=_("render the window offscreen to a PNG, after "
                                          "really training when asked"))
    s.add_argument("data", nargs="?", help=_("a CSV file or sample:NAME"))
    s.add_argument("--target", help=_("the column to predict"))
    s.add_argument("--project", help=_("a project file instead of DATA"))
    s.add_argument("--train-epochs", type=int, metavar="N",
                   help=_("train N epochs in the window first"))
    s.add_argument("--tab", metavar="TAB",
                   help=_("start, data, design, compile, train or evaluate (default: data, "
                          "or evaluate after training)"))
    s.add_argument("--size", metavar="WxH", help=_("window size in pixels (default 1600x1000)"))
    s.add_argument("-o", "--output", required=True, help=_("the PNG file to write"))
    s.add_argument("--colours", type=int, metavar="N",
                   help=_("keep the N most used colours (2-256): a third of the file size, "
                          "for documentation"))
    s.add_argument("--presentation", action="store_true",
                   help=_("presentation mode: large fonts, high contrast, no side panels"))
    s.add_argument("--theme", choices=("light", "dark"),
                   help=_("the presentation theme (default: light)"))
    s.add_argument("--sketch", action="store_true",
                   help=_("draw the network in the hand-drawn sketch style"))
    s.add_argument("--lang", choices=("en", "ko"), help=_("language of messages"))
    _add_read_args(s)
    s.set_defaults(func=cmd_snapshot)
    s = sub.add_parser("export", help=_("write the project as a Keras script or notebook"))
    s.add_argument("project", help=_("the project file (PROJECT.json)"))
    s.add_argument("--format", choices=("py", "ipynb"),
                   help=_("py or ipynb (default: from the output's extension)"))
    s.add_argument("-o", "--output", required=True, help=_("the file to write"))
    s.add_argument("--data-path", help=_("the CSV path to write into the code"))
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("predict", help=_("predict new rows with a trained model folder"),
                       description=_("Predict each row of DATA. Rows that cannot be computed "
                                     "(text in a number column, an empty cell the model has "
                                     "no fill-in value for) get no prediction and a 'reason'; "
                                     "their count is printed on stderr. Exit status 0 when at "
                                     "least one row was predicted, 2 when none could be or "
                                     "the model's columns are missing."))
    s.add_argument("data", help=_("a CSV file with the feature columns"))
    s.add_argument("--model", required=True,
                   help=_("a folder with model.keras and preprocessing.json"))
    s.add_argument("-o", "--output",
                   help=_("the CSV to write (default: print); never the data file itself or "
                          "a file of the model folder"))
    _add_read_args(s)
    s.set_defaults(func=cmd_predict)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _safe_console()
    from studio.logsetup import setup_logging

    setup_logging()   # a log file in the user's data folder; safe when stdout/stderr are None
    set_language(system_language())
    if "--lang" in argv:
        i = argv.index("--lang")
        if i + 1 < len(argv):
            set_language(argv[i + 1])
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            return cmd_gui(args)
        return int(args.func(args) or 0)
    except _UsageError as exc:
        _err(str(exc))
        return EXIT_USER_ERROR
    except StudioError as exc:
        _err(str(exc))
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        _err(_("interrupted"))
        return 130
    except BrokenPipeError:        # `studio info x.csv | head`: the reader left; stop quietly
        import os

        with contextlib.suppress(OSError, AttributeError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def gui_main() -> int:
    return main([])
