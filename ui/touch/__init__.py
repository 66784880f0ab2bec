"""The drawing pad and its answers: one page part per lesson that lets a learner touch the trained model."""
