"""The Train step: the background training run, live curves, progress, the demo controls and
replays."""
