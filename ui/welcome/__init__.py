"""First run: a short welcome that creates the demo film and says where things go."""
