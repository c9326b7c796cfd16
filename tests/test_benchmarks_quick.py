"""benchmarks/run.py end to end on its fastest benchmark, and the pieces of the others that
take seconds, not minutes. The slower checks run with ``NETSKETCH_BENCH_TESTS=1``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(BENCH))

slow = pytest.mark.skipif(os.environ.get("NETSKETCH_BENCH_TESTS") != "1",
                          reason="slow benchmark check: set NETSKETCH_BENCH_TESTS=1")


def _table_rows(markdown: str) -> list[list[str]]:
    lines = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert lines[0] == "| figure | measured | goal | met |"
    return [[c.strip() for c in line.strip("|").split(" | ")] for line in lines[1:]]


def test_run_writes_the_table_and_json(tmp_path):
    out = tmp_path / "results.md"
    proc = subprocess.run([sys.executable, str(BENCH / "run.py"), "--quick", "--only", "canvas",
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
                          check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "7. Canvas paint" in proc.stdout
    rows = _table_rows(out.read_text(encoding="utf-8"))
    assert len(rows) == 1 and rows[0][0].startswith("7. Canvas paint")
    assert rows[0][1].endswith(")") and "ms per frame" in rows[0][1]
    assert rows[0][2] == "< 16 ms" and rows[0][3] in ("yes", "**no**")
    doc = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert doc["mode"] == "quick"
    assert doc["table"][0]["figure"] == rows[0][0]
    assert len(doc["raw"]["canvas"]["figures"]["results"]) == 4


def test_a_failing_benchmark_is_a_row_not_a_crash(monkeypatch, tmp_path):
    import run

    monkeypatch.setattr(run, "run_child", lambda name, quick, timeout: (None, "failed", 0.1))
    out = tmp_path / "r.md"
    assert run.main(["--only", "csv", "--out", str(out)]) == 0
    rows = _table_rows(out.read_text(encoding="utf-8"))
    assert rows == [["csv", "not measured: failed", "", "**no**"]]


def test_csv_benchmark_on_a_small_file():
    import csv_read
    import run

    figures = csv_read.run(rows=3_000, repeats=1)
    assert figures["speed"]["rows"] == 3_000 and figures["speed"]["columns"] == 20
    assert figures["model_view"]["model_view"] is True
    assert figures["model_view"]["widgets_after"] <= figures["model_view"]["widgets_before"]
    assert figures["memory"]["studio"]["frame_mb"] > 0
    rows = run.rows_csv(figures, quick=True)
    assert [r[0][:2] for r in rows] == ["6.", "6.", "6."]
    assert rows[1][3] == "yes"


def test_startup_probe_lines_are_read_among_tensorflow_logs():
    import startup

    text = ("startup-probe window_shown 1795889711.199818 cpu=0.900\n"
            "WARNING: All log messages before absl::InitializeLog() is called are written\n"
            "startup-probe input_ready 1795889711.631883 cpu=1.050\n"
            "I0000 00:00:1795889714.9 port.cc:153] oneDNN custom operations are on.\n"
            "startup-probe train_enabled 1795889714.971623 cpu=4.100 max_stall_ms=21 "
            "blocked=TensorFlow is still loading.\n")
    found = {m["event"]: m for m in startup.PROBE_LINE.finditer(text)}
    assert list(found) == ["window_shown", "input_ready", "train_enabled"]
    assert found["train_enabled"]["stall"] == "21"
    assert found["train_enabled"]["blocked"] == "TensorFlow is still loading."
    assert found["input_ready"]["cpu"] == "1.050"


@slow
def test_gpu_script_without_a_gpu_exits_0(tmp_path):
    env = dict(os.environ, CUDA_VISIBLE_DEVICES="-1")
    proc = subprocess.run([sys.executable, str(BENCH / "gpu.py"), "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "No GPU" in proc.stdout
    assert json.loads((tmp_path / "gpu.json").read_text())["gpus"] == []


@slow
def test_gpu_script_self_test_runs_every_step_on_the_cpu(tmp_path):
    env = dict(os.environ, CUDA_VISIBLE_DEVICES="-1")
    proc = subprocess.run([sys.executable, str(BENCH / "gpu.py"), "--self-test", "--out",
                           str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env=env, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = json.loads((tmp_path / "gpu.json").read_text())
    assert doc["default_device"] == "CPU" and doc["default_on_gpu"] is False
    assert doc["same_results"] is True


@slow
def test_startup_benchmark_one_run():
    import startup

    res = startup.run(runs=1, warmup=False)
    assert 0 < res["window_shown_s"] <= res["input_ready_s"] < res["train_enabled_s"]
    assert res["train_blocked"] == []
