"""Demo instance data: mild, synthetic texts for trying labelops out."""
