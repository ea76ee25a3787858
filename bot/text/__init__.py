"""Text analysis with no knowledge of the index or the answer: tokens, sentences, numbers and dates, near-synonyms."""
