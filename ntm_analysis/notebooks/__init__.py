"""What the notebooks need: the project they load, sentences and explanations from data, and the runner
that executes them."""
