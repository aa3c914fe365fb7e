"""The one place for the search limits: raters m, items k and share denominators N.

Every search (feasible (m, k), the k = 3 and k >= 4 reconstructions, share granularity) and
every message that states a limit reads it from here; the catalog's placeholders ``{m_lo}``,
``{m_hi}``, ``{k_lo}``, ``{k_hi}``, ``{m4_hi}``, ``{n_lo}``, ``{n_max}`` are filled from
:func:`params` by :mod:`repro.catalog`.
"""

from __future__ import annotations

M_MIN = 2            # raters: fewer than two cannot agree or disagree
M_MAX = 60           # raters searched for W/p consistency and the exact k = 3 reconstruction
M4_MAX = 30          # raters searched by the k >= 4 reconstruction (one integer program per solution)
K_MIN = 2            # items
K_MAX = 15
N_MIN = 1            # share denominators (GRIM)
N_MAX = 200

M_RANGE = range(M_MIN, M_MAX + 1)
K_RANGE = range(K_MIN, K_MAX + 1)


def params() -> dict[str, int]:
    """The limits as message parameters."""
    return {"m_lo": M_MIN, "m_hi": M_MAX, "m4_hi": M4_MAX, "k_lo": K_MIN, "k_hi": K_MAX,
            "n_lo": N_MIN, "n_max": N_MAX}
