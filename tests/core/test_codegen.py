"""Code export: readable scripts and notebooks in the curriculum's order, faithful to core."""

import json
import os
import subprocess
import sys

import pytest

from studio.core import codegen
from studio.core.data import load
from studio.core.design import Design, Layer
from studio.core.project import new_project

STEPS = ["# 1. Load", "# 2. Split", "# 3. Preprocess", "# 4. Model", "# 5. Compile",
         "# 6. Train", "# 7. Learning", "# 8. Predict"]


def _check_order(code: str) -> None:
    compile(code, "<export>", "exec")
    positions = [code.index(s) for s in STEPS]
    assert positions == sorted(positions)
    assert code.index("model.compile(") < code.index("history = model.fit(")
    assert code.index("keras.Sequential(") < code.index("model.compile(")
    assert "fit_transform(X_train)" in code


@pytest.fixture(scope="module")
def iris():
    return load("sample:iris")


@pytest.fixture(scope="module")
def diabetes():
    return load("sample:diabetes")


def test_every_layer_kind_and_regulariser(diabetes):
    proj = new_project("sample:diabetes", "progression", dataset=diabetes)
    proj.design = Design([Layer.input(10), Layer.dense(16, "relu", l1=0.01, l2=0.001,
                                                         initializer="he_normal"),
                          Layer.batchnorm(), Layer.dropout(0.3), Layer.dense(8, "tanh"),
                          Layer.dense(1, "linear")])
    code = codegen.script(proj, diabetes)
    _check_order(code)
    assert ('keras.layers.Dense(16, activation="relu", kernel_initializer="he_normal", '
            'kernel_regularizer=keras.regularizers.L1L2(l1=0.01, l2=0.001), name="dense_1")'
            in code)
    assert 'keras.layers.BatchNormalization(name="batch_norm_2")' in code
    assert 'keras.layers.Dropout(0.3, name="dropout_3")' in code
    assert 'keras.layers.Dense(1, name="output")' in code
    assert code.index("dense_1") < code.index("batch_norm_2") < code.index("dropout_3") \
        < code.index('name="dense_2"') < code.index('name="output"')
    assert "y_std" in code and "* y_std + y_mean" in code  # target standardised and back
    assert "r2_score" in code and "sample" in code.split("DATA_PATH", 1)[1].split("\n")[0]
    # the layer-highlight line is found
    line = codegen.layer_line(code, proj, proj.design.layers[3].uid, diabetes)
    assert "Dropout" in code.split("\n")[line]


@pytest.mark.parametrize("kind", ["none", "plateau", "exponential", "step"])
def test_schedules_and_early_stopping(iris, kind):
    proj = new_project("sample:iris", "species", dataset=iris)
    proj.training.schedule.kind = kind
    proj.training.early_stopping.enabled = kind != "step"
    code = codegen.script(proj, iris)
    _check_order(code)
    assert ("EarlyStopping(" in code) == (kind != "step")
    assert "restore_best_weights=True" in code or kind == "step"
    assert ("ReduceLROnPlateau(" in code) == (kind == "plateau")
    assert ("LearningRateScheduler(schedule)" in code) == (kind in ("exponential", "step"))


@pytest.mark.parametrize("mode", ["balanced", "manual"])
def test_class_weights_and_tasks(mode, tmp_path):
    ds = load("sample:breast_cancer")
    target = next(p.name for p in ds.profiles if p.suggested_role == "target")
    proj = new_project("sample:breast_cancer", target, dataset=ds)
    proj.training.class_weight = mode
    proj.training.manual_class_weights = {str(c): 2.0 for c in proj.task_info(ds).classes[:1]}
    proj.compile.metrics = ["accuracy", "precision", "recall", "auc"]
    code = codegen.script(proj, ds)
    _check_order(code)
    assert "class_weight=class_weight" in code
    assert ("np.bincount" in code) == (mode == "balanced")
    assert 'average="binary"' in code and "BinaryAccuracy" in code


def test_categorical_crossentropy_and_notebook(iris, tmp_path):
    proj = new_project("sample:iris", "species", dataset=iris)
    proj.compile.loss = "categorical_crossentropy"
    proj.compile.optimizer = "sgd"
    code = codegen.script(proj, iris)
    _check_order(code)
    assert "np.eye(3" in code and "keras.optimizers.SGD(" in code
    nb = json.loads(codegen.notebook(proj, iris))
    assert nb["nbformat"] == 4
    kinds = [c["cell_type"] for c in nb["cells"]]
    assert kinds.count("code") == 9 and kinds.count("markdown") == 9
    joined = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    compile(joined, "<nb>", "exec")
    assert any("## 4. Model" in "".join(c["source"]) for c in nb["cells"])


def _run_export(proj, name, tmp_path):
    src = load(f"sample:{name}")
    csv = tmp_path / f"{name}.csv"
    src.frame.to_csv(csv, index=False)
    script = tmp_path / f"{name}.py"
    codegen.export(proj, script, dataset=src, data_path=str(csv))
    env = dict(os.environ, MPLBACKEND="Agg", CUDA_VISIBLE_DEVICES="-1",
               TF_CPP_MIN_LOG_LEVEL="2")
    r = subprocess.run([sys.executable, str(script)], check=False, capture_output=True, text=True,
                       env=env, cwd=tmp_path, timeout=240)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name,target,keys", [
    ("diabetes", "progression", ("mae", "rmse", "r2")),
    ("iris", "species", ("accuracy", "f1")),
])
def test_fidelity_exported_script_reproduces_the_studio(name, target, keys, tmp_path):
    from studio.core.train import train

    proj = new_project(f"sample:{name}", target)
    proj.training.epochs = 5
    proj.training.early_stopping.enabled = True
    result = train(proj)
    out = _run_export(proj, name, tmp_path)
    assert out["params"] == result.params["total"]
    for k in keys:
        studio, exported = result.evaluation.metrics[k], out["test_metrics"][k]
        assert exported == pytest.approx(studio, rel=1e-3, abs=1e-3), k
