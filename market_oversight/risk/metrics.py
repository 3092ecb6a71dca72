"""Backtest metrics, computed here rather than borrowed: ROC AUC by ranks, precision at the top."""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl


def roc_auc(scores: Sequence[float] | pl.Series, labels: Sequence[bool] | pl.Series) -> float | None:
    """Probability that a random positive scores above a random negative (ties count half):
    the Mann-Whitney U statistic over average ranks. None when either class is empty."""
    s = pl.Series(scores, dtype=pl.Float64)
    y = pl.Series(labels, dtype=pl.Boolean)
    positives = int(y.sum())
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        return None
    ranks = s.rank("average")
    rank_sum = float(ranks.filter(y).sum())
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def precision_at_top(frame: pl.DataFrame, share: float, *, group: str = "as_of",
                     score: str = "score", label: str = "label", key: str = "location_id") -> float | None:
    """Share of positives among the top `share` (rounded up) of each group by score, pooled over groups.
    Ties at the cut are broken by `key`, so the result is reproducible."""
    if frame.is_empty():
        return None
    ranked = frame.sort([group, score, key], descending=[False, True, False]).with_columns(
        pl.int_range(pl.len()).over(group).alias("_rank"),
        pl.len().over(group).alias("_n"),
    )
    top = ranked.filter(pl.col("_rank") < (pl.col("_n") * share).ceil())
    return float(top[label].mean()) if top.height else None


def median(values: Sequence[float]) -> float | None:
    ordered = sorted(v for v in values if v is not None and not math.isnan(v))
    if not ordered:
        return None
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
