"""Active-learning selection: each strategy picks what it claims to, deterministically; random is the control."""

from __future__ import annotations

import numpy as np
import pytest

from rcrp.labelling.active_learning import STRATEGIES, select, uncertainty

P = np.array([[0.98, 0.01, 0.01],   # 0: sure
              [0.40, 0.35, 0.25],   # 1: unsure, close top two
              [0.34, 0.33, 0.33],   # 2: most unsure by every measure
              [0.60, 0.39, 0.01],   # 3: confident-ish, but small margin
              [0.70, 0.15, 0.15]])  # 4


def test_uncertainty_measures_rank_as_defined():
    assert select(P, 2, "least_confidence").tolist() == [2, 1]
    assert select(P, 2, "margin").tolist() == [2, 1]
    assert select(P, 1, "entropy").tolist() == [2]
    assert np.argmin(uncertainty(P, "entropy")) == 0 and uncertainty(P, "margin")[3] > uncertainty(P, "margin")[4]


def test_diverse_avoids_near_duplicates_and_random_is_seeded():
    texts = ["walked out of A&E"] * 3 + ["on the bridge with a knife", "care home asks for transport"]
    p = np.array([[0.34, 0.33, 0.33]] * 3 + [[0.40, 0.35, 0.25], [0.45, 0.30, 0.25]])
    chosen = select(p, 3, "diverse", texts=texts).tolist()
    assert len({texts[i] for i in chosen}) == 3  # one of the three copies, then the two different calls
    a, b = select(P, 3, "random", seed=1), select(P, 3, "random", seed=1)
    assert a.tolist() == b.tolist() and len(set(a.tolist())) == 3


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_strategy_returns_k_distinct_rows(strategy):
    texts = [f"call {i}" for i in range(len(P))]
    out = select(P, 4, strategy, texts=texts, seed=3)
    assert len(out) == 4 and len(set(out.tolist())) == 4


def test_bad_input_names_the_problem():
    with pytest.raises(ValueError, match="strategy"):
        uncertainty(P, "psychic")
    with pytest.raises(ValueError, match="texts"):
        select(P, 2, "diverse")
    with pytest.raises(ValueError, match="k must"):
        select(P, 0, "entropy")


def test_the_simulation_writes_its_table(tmp_path):
    """The simulation script runs end to end on a tiny pool and writes the table and its JSON (the figures
    themselves are the script's to report, not this test's)."""
    from rcrp.al_simulation import main

    out = tmp_path / "al.md"
    summary = main(["--pool", "240", "--test", "200", "--start", "40", "--batch", "40", "--seeds", "2",
                    "--strategies", "entropy,random", "--out", str(out)])
    assert set(summary) == {"entropy", "random"}
    assert all(s["runs"] == 2 and 0 <= s["reached"] <= 2 and 40 <= s["mean"] <= 240 for s in summary.values())
    table = out.read_text()
    assert "SYNTHETIC" in table and "| entropy |" in table and out.with_suffix(".json").exists()
    with pytest.raises(SystemExit):  # random is the control: a run without it is refused
        main(["--strategies", "entropy", "--out", str(out)])
