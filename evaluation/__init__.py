"""`make eval`: every evaluation of the project, each section printed as one table."""
