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


# ---------------------------------------------------------------------------- budgets (cli helper)
# --------------------------------------------------------------------- exact permutation p (repro/kendall.py)
# The exact recursion carries orbit states rater by rater; each step costs states x moves
# (the rater's distinct permutations, at most k!) and the last step builds the S matrix of
# states x moves. EXACT_P_MAX_PAIRS bounds the sum of those products over the recursion:
# about 40 bytes (at the largest step) and 15-50 ns each on a 2-core 2020s machine, so 1e7 pairs
# are about 0.5 s and at most 400 MB. EXACT_P_MAX_MOVES bounds k! (one rater's permutations are
# tabulated in a Python loop).
EXACT_P_MAX_PAIRS = 10_000_000
EXACT_P_MAX_MOVES = 40_320          # 8!
EXACT_P_BYTES_PER_PAIR = 40

# --------------------------------------------------------------------- Monte Carlo p (repro/kendall.py)
# Resamples used when the exact p is over budget and no --resamples is given, and the work
# cap of any Monte Carlo run: resamples x m x k rank values drawn (about 2-5 s at 3e8).
MONTE_CARLO_DEFAULT_RESAMPLES = 10_000
MONTE_CARLO_MAX_WORK = 300_000_000
MONTE_CARLO_MAX_RESAMPLES = 1_000_000

# --------------------------------------------------------------------- input files (repro/csvread.py)
MAX_INPUT_BYTES = 50 * 1024 * 1024   # bytes read from any input file, stream or device
MAX_NUMBER_DIGITS = 400              # digits in one number cell (Python refuses int() beyond 4300)

# --------------------------------------------------------------------- repro audit (commands/audit.py)
AUDIT_ROW_SECONDS = 20.0             # per-row budget of a search; a row over it is reported, not waited for


def params() -> dict[str, int]:
    """The limits as message parameters."""
    return {"m_lo": M_MIN, "m_hi": M_MAX, "m4_hi": M4_MAX, "k_lo": K_MIN, "k_hi": K_MAX,
            "n_lo": N_MIN, "n_max": N_MAX}


# --------------------------------------------------------------------- rank-sum engine (repro/ranksums.py, issue 14)
# Listing every sufficient statistic (k <= RANKSUMS_LIST_K): the window product x tie totals
# evaluated per m (numpy, about 50 ns a cell), the solutions listed (and counted, k = 3) per row,
# and the integer programmes run per row to prove a listed statistic has a dataset (k >= 4;
# k = 3 is counted by generating functions). Past a cap, the rest of m get one witness each.
RANKSUMS_LIST_K = 4
RANKSUMS_LIST_CELLS = 400_000
RANKSUMS_LIST_PROOFS = 30
RANKSUMS_LIST_SOLUTIONS = 200
# The closest attainable statistics of an impossible row (k <= RANKSUMS_LIST_K): cells evaluated in all.
RANKSUMS_CLOSEST_CELLS = 100_000
# k = 3 datasets are counted exactly up to this m (generating-function arrays of (m+1) (4m+1)^2).
RANKSUMS_COUNT_M_MAX = 60
# Ties: every block structure (2^(k-1) compositions: exact) up to this k; above, a sound sample.
RANKSUMS_EXACT_TIES_K = 5
# Raters left to the integer programme after peeling strict rankings when ties are needed (k large).
RANKSUMS_TIED_TAIL = 4
# Per m: rank-sum vectors collected on the Q path, and how many of them are realised at most.
RANKSUMS_CANDIDATES = 40
RANKSUMS_REALISATIONS = 6
# One integer programme: a deterministic cap on branch-and-bound nodes (verdicts never depend on
# the machine's load), and a wall-clock safety net in seconds (HiGHS time_limit).
RANKSUMS_MILP_NODES = 500
RANKSUMS_MILP_SECONDS = 30.0
# Unknown m: witnesses built for the first this many consistent m; later m passing every necessary
# condition are reported undecided (condition "budget"), never consistent without a witness.
RANKSUMS_UNKNOWN_M_WITNESSES = 25
# Raters searched when m is not printed (issue 14: unknown m over 2..1000).
RANKSUMS_M_SEARCH = range(2, 1001)
