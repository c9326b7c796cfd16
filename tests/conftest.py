"""Shared test configuration: headless Qt, quiet TensorFlow, isolated user settings."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", os.environ.get("STUDIO_TEST_GPU", "-1"))

# Logs of the CLI and the window go to a temporary folder, never the user's data folder.
if "NETSKETCH_DATA_DIR" not in os.environ:
    import tempfile

    os.environ["NETSKETCH_DATA_DIR"] = tempfile.mkdtemp(prefix="netsketch-test-")
