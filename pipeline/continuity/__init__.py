"""Conditioning: what a generation backend is told about a shot so it stays consistent with the shots around it."""
