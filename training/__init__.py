"""Training scripts for the learned parts of the NLP core (`make train`); never imported at run time."""
