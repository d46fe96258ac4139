"""Running the work: summarizer, translator, cache keys and executors."""
