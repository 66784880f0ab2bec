"""What a trained model makes of one input the learner gives it (a drawing, a PNG), without training."""
