"""The Evaluate step: test metrics, charts for classification and regression, and predictions."""
