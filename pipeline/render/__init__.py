"""Turning shots into takes: the request each backend sees, one shot's render, and a batch of them."""
