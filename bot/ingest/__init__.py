"""Article files → index: reading the corpus, sentence nodes, the embedder, the Chroma store, refresh, the manifest."""
