"""The Start step: samples, recent projects, lessons."""
