"""Experiments that train a project many times: the hyperparameter search (:mod:`.search` over
a :mod:`.space`), k-fold cross-validation (:mod:`.crossval`) and the class-balance comparison
with and without resampling (:mod:`.recall`)."""
