"""From a project to the Keras code a careful student would write: a .py script or a notebook.

The code follows the curriculum's order (load -> split -> preprocess -> model -> compile -> fit
-> curves -> evaluate), with one comment naming each step. It reproduces the studio's run: the
same rows, the same two ``train_test_split`` calls (ratios, seed, stratification), the same
per-column scikit-learn pipelines fitted on the training rows, the same layers with the same
names, initialisers and regularisers, the same compile, callbacks and seed. It needs only
tensorflow (with its keras), pandas and scikit-learn; matplotlib is optional.

The last line the script prints is a JSON object with the parameter count and the test
metrics, so that a test (or a teacher) can compare it with the studio's run.
"""

from studio.core.codegen.output import export, layer_line, notebook, script, sections

__all__ = ["export", "layer_line", "notebook", "script", "sections"]
