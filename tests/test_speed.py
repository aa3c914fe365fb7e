"""Speed paths give the same numbers as the slow paths they replace (issue 19 item 3)."""
from __future__ import annotations

import numpy as np
import pytest

from repro.kendall import _tail_probability, exact_p_no_ties


@pytest.mark.parametrize("m,k", [(3, 3), (5, 3), (4, 4), (7, 3), (3, 5)])
def test_memoised_untied_p_equals_fresh_computation(m, k):
    ranks = np.tile(np.arange(1, k + 1, dtype=float), (m, 1))
    S_max = m * m * (k ** 3 - k) / 12.0
    for S in np.linspace(0.0, S_max, 7):
        # the memoised distribution answers exactly (bit for bit) what a fresh one does
        assert exact_p_no_ties(S, m, k) == _tail_probability(ranks, S)
