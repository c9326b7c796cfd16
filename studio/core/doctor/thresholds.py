"""The doctor's limits: where a finding starts (rows, classes, categories, ranges, learning
rates, network size) and how much of the data the slower checks look at."""

LEAKAGE_SAMPLE = 20_000       # rows looked at by the target-leakage check
MIN_ROWS = 50                 # fewer rows than this: a warning
MAX_CLASSES = 50              # more classes than this: a warning
MANY_CATEGORIES = 50          # a one-hot column wider than this: a warning
RANGE_RATIO = 10.0            # feature ranges differing more than this: scale them
LARGE_VALUE = 100.0           # any |value| above this in an unscaled feature: scale it
IMBALANCE_SHARE = 0.10        # smallest class under this share of the rows ...
IMBALANCE_RATIO = 9.0         # ... or largest / smallest class above this: imbalanced
#: Fewer training rows per trainable weight than this is "very few" (a warning).
FEW_ROWS_PER_WEIGHT = 0.1
MANY_EPOCHS = 200             # more epochs than this without early stopping: a warning
HIGH_LR = 0.1
LOW_LR = 1e-5
CORR_LEAK = 0.999
#: More weights than this cannot train in a student laptop's memory: an error.
MAX_PARAMS = 50_000_000
