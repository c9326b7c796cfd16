"""Hostile search spaces: ``studio search --param``, the search dialog and the core API.

Every value is checked against the rule the project file itself uses for that setting
(``studio.core.schemas.project``) before any trial trains. ``error-`` cases must give one
:class:`SearchError` sentence naming the parameter and what it takes (the CLI: ``error: ...``
and exit status 2, before a trial starts); ``ok-`` cases must parse to the values shown.
"""

from __future__ import annotations

import numpy as np
import pytest

from studio.cli import main
from studio.core.experiments.search import search
from studio.core.experiments.space import Range, SearchError, normalise_space, parse_param
from studio.core.project import new_project

#: (id, --param text, fragments of the error, or the parsed (name, values) for ok- cases)
PARAM_CASES = [
    ("error-units-inf", "units=inf", ("units", "inf", "whole numbers from 1")),
    ("error-units-nan", "units=nan", ("units", "nan")),
    ("error-units-overflow", "units=1e400", ("units", "inf")),
    ("error-units-negative", "units=-8", ("units", "-8")),
    ("error-units-zero", "units=0,16", ("units", "0")),
    ("error-units-fraction", "units=3.5", ("units", "3.5", "whole numbers")),
    ("error-units-text", "units=lots", ("units", "'lots'")),
    ("error-units-huge", "units=10000000", ("units", "10000000", "1,000,000")),
    ("error-units-200-digits", "units=" + "9" * 200, ("units", "whole numbers")),
    ("error-units-range-from-zero", "units=0:64", ("units", "0")),
    ("error-units-empty-range", "units=8:8", ("low < high",)),
    ("error-units-no-values", "units= , ", ("units has no values",)),
    ("error-batch-size-zero", "batch_size=0", ("batch_size", "0", "whole numbers from 1")),
    ("error-batch-size-negative", "batch=-16", ("batch_size", "-16")),
    ("error-batch-size-inf", "batch_size=16,inf", ("batch_size", "inf")),
    ("error-activation-os-system", "activation=os.system", ("activation", "'os.system'",
                                                             "relu")),
    ("error-activation-import", "activation=__import__('os')", ("activation",)),
    ("error-activation-range", "activation=relu:tanh", ("activation", "'relu:tanh'")),
    ("error-optimizer-unknown", "optimizer=lbfgs", ("optimizer", "'lbfgs'", "adam")),
    ("error-lr-zero", "lr=0", ("lr", "0", "above 0")),
    ("error-lr-negative", "learning_rate=-0.01", ("lr", "-0.01")),
    ("error-lr-inf", "lr=inf", ("lr", "inf")),
    ("error-lr-nan", "lr=0.01,nan", ("lr", "nan")),
    ("error-lr-huge", "lr=100", ("lr", "100", "at most 10")),
    ("error-lr-range-backwards", "lr=0.1:0.001", ("low < high",)),
    ("error-dropout-one", "dropout=0.2,1", ("dropout", "1", "below 1")),
    ("error-dropout-negative", "rate=-0.1", ("dropout", "-0.1")),
    ("error-l2-negative", "l2=-0.001", ("l2", "-0.001")),
    ("error-l2-inf", "l2=0:inf", ("l2", "inf")),
    ("error-layers-negative", "layers=-1", ("layers", "-1")),
    ("error-layers-huge", "n_layers=1000", ("layers", "1000", "100")),
    ("error-unknown-parameter", "speed=1,2", ("Unknown search parameter", "speed")),
    ("error-no-equals", "lr", ("name=value1,value2",)),
    ("error-too-many-values", "units=" + ",".join(str(i) for i in range(1, 1202)),
     ("1,201 values", "1,000")),
    ("ok-units-list", "units=16, 32", ("units", [16, 32])),
    ("ok-units-whole-float", "units=32.0,1e2", ("units", [32, 100])),
    ("ok-activation-any-case", "activation=ReLU, tanh", ("activation", ["relu", "tanh"])),
    ("ok-optimizer-list", "optimizer=adam,sgd", ("optimizer", ["adam", "sgd"])),
    ("ok-dropout-list", "dropout=0,0.5", ("dropout", [0.0, 0.5])),
    ("ok-batch-alias", "batch=8,16", ("batch_size", [8, 16])),
    ("ok-lr-log-range", "lr=1e-4:0.1", ("lr", Range(1e-4, 0.1, log=True))),
    ("ok-layers-range", "layers=0:3", ("layers", Range(0, 3, integer=True))),
    ("ok-l2-from-zero", "l2=0:0.01", ("l2", Range(0.0, 0.01))),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in PARAM_CASES],
                         ids=[c[0] for c in PARAM_CASES])
def test_param(text, expected):
    if PARAM_CASES[[c[1] for c in PARAM_CASES].index(text)][0].startswith("ok-"):
        name, values = parse_param(text)
        assert (name, values) == expected
        if isinstance(values, list):
            assert all(type(v) is type(e) for v, e in zip(values, expected[1]))
        return
    with pytest.raises(SearchError) as info:
        parse_param(text)
    message = str(info.value)
    assert "\n" not in message
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in {message!r}"


@pytest.mark.parametrize("space, fragment", [
    ({"units": [True]}, "units cannot be True"),
    ({"units": [np.float64("inf")]}, "units cannot be inf"),
    ({"lr": Range(0.0, 0.1, log=True)}, "lr cannot be 0.0"),
    ({"activation": Range(1, 2)}, "activation takes a list of choices"),
    ({"units": list(range(1, 1001)), "lr": [0.001] * 1000, "l2": [0.0] * 1000,
      "batch_size": list(range(1, 1001)), "dropout": [0.1, 0.2]}, "combinations"),
    ({"optimizer": "os.system"}, "optimizer cannot be 'os.system'"),
], ids=["error-space-bool", "error-space-numpy-inf", "error-space-range-from-zero",
        "error-space-range-of-choices", "error-space-too-many-combinations",
        "error-space-single-bad-choice"])
def test_space_given_as_data(space, fragment):
    with pytest.raises(SearchError, match=fragment):
        normalise_space(space)


def test_numpy_values_become_plain_numbers():
    out = normalise_space({"units": np.array([8, 16]), "lr": [np.float32(0.01)]})
    assert out == {"units": [8, 16], "lr": [pytest.approx(0.01)]}
    assert type(out["units"][0]) is int and type(out["lr"][0]) is float


@pytest.fixture(scope="module")
def project_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search")
    proj = new_project("sample:iris", "species")
    proj.training.epochs = 2
    return proj.save(folder / "iris.json")


@pytest.mark.parametrize("argv, fragment", [
    (["--param", "units=inf"], "units cannot be inf"),
    (["--param", "batch_size=0"], "batch_size cannot be 0"),
    (["--param", "activation=os.system"], "activation cannot be 'os.system'"),
    (["--param", "lr=nan"], "lr cannot be nan"),
    (["--metric", "val_auc"], "cannot choose by 'val_auc'"),
    (["--epochs", "0"], "epochs per trial"),
    (["--seconds", "-5"], "time limit"),
    (["--seconds", "nan"], "time limit"),
    (["--trials", "0"], "trials"),
], ids=["error-cli-units-inf", "error-cli-batch-size-zero", "error-cli-activation-os-system",
        "error-cli-lr-nan", "error-cli-metric-not-measured", "error-cli-epochs-zero",
        "error-cli-seconds-negative", "error-cli-seconds-nan", "error-cli-trials-zero"])
def test_cli_refuses_before_any_trial(capsys, project_path, argv, fragment):
    code = main(["search", str(project_path), *argv])
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert err.startswith("error:") and err.count("\n") == 1 and fragment in err, err
    assert "trial 1" not in out and "Traceback" not in err


def test_core_search_refuses_before_loading_data():
    proj = new_project("sample:iris", "species")
    proj.data_source = "no-such-file.csv"           # loading it would fail differently
    with pytest.raises(SearchError, match="units cannot be inf"):
        search(proj, space={"units": [float("inf")]}, trials=1)
    with pytest.raises(SearchError, match="number of trials"):
        search(proj, space={"units": [8]}, trials=2.5)


def test_ok_cli_search_with_checked_values(capsys, project_path):
    code = main(["search", str(project_path), "--strategy", "grid", "--trials", "1",
                 "--param", "units=8.0", "--param", "activation=TANH", "--epochs", "1"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "units=8" in out and "activation=tanh" in out


# -- the search dialog ------------------------------------------------------------------------
@pytest.fixture
def dialog(qtbot, studio_app, isolated_settings):
    from studio.ui.experiments.search_dialog import SearchDialog
    from studio.ui.state import StudioState

    state = StudioState()
    state.open_data("sample:iris", target="species")
    d = SearchDialog(state)
    qtbot.addWidget(d)
    d.show()
    yield d
    assert d.shutdown()


@pytest.mark.parametrize("key, text, fragment", [
    ("units", "inf", "units cannot be inf"),
    ("batch_size", "0", "batch_size cannot be 0"),
    ("activation", "os.system", "activation cannot be 'os.system'"),
], ids=["error-dialog-units-inf", "error-dialog-batch-size-zero",
        "error-dialog-activation-os-system"])
def test_dialog_shows_the_message(dialog, key, text, fragment):
    dialog.set_param(key, text)
    assert dialog.start_search() is False
    assert fragment in dialog.status_label.text()
    assert not dialog.controller.is_running
