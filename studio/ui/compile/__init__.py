"""The Compile step: loss, optimizer, metrics and the training settings, bound to the project."""
