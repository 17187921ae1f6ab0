"""Retrieval evaluation: labelled queries (``queries.jsonl``) and a runner
(``python -m eval.retrieval``) that measures recall@1, recall@5 and MRR for
BM25 alone, each dense embedder alone and the hybrid, per query style."""
