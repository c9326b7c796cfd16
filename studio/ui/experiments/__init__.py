"""Experiments: the runs table, the hyperparameter search and its background worker."""
