"""ja-article-tools: clean, tokenize, repair, extract from and lint Japanese articles."""
