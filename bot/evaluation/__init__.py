"""The answer-quality test set: cases, metrics, thresholds, the report and the runner."""
