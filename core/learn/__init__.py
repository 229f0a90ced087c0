"""Training: sampling labelled pixels, validation folds, the candidate search, the training report."""
