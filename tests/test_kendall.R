# DOCUMENTATION, NOT RUN BY THE TEST SUITE. R is not installed where the tests run.
#
# The R calls that reproduce the reference values asserted in tests/test_kendall.py, kept beside the
# tests as pingouin keeps tests/test_correlation.R. Run by hand with R >= 4.1:
#     install.packages(c("irr", "DescTools", "SuppDists", "coin"))
#     Rscript tests/test_kendall.R
# Each block names the Python test it documents and the value that test asserts. Where a value comes
# from a package's documentation it says so; "repro:" gives repro's full-precision value for comparison.
# Orientation: irr and DescTools take objects (items) in rows and raters in columns; friedman.test
# takes blocks (raters) in rows and groups (items) in columns; repro's kendall_w takes raters in rows.

library(irr)
library(DescTools)
library(SuppDists)

# ---- test_anxiety_matches_irr_documented_output / test_anxiety_matches_scipy_friedman_to_1e9 ----
# irr's documented example (?kendall): 20 subjects rated by 3 raters, tie-corrected.
data(anxiety)
kendall(anxiety, correct = TRUE)
#   documented: Subjects = 20, Raters = 3, Wt = 0.54, Chisq(19) = 30.8, p-value = 0.0429
#   asserted:   round(W, 2) == 0.54, round(chi2, 1) == 30.8, round(p, 4) == 0.0429
#   repro:      W = 0.5396568759543698, chi2 = 30.760441929399082, p = 0.04288347312694786
KendallW(anxiety, correct = TRUE, test = TRUE)   # DescTools: the same W, chi2 and p
kendall(anxiety, correct = FALSE)                # repro: W_uncorrected = 0.501921470342523
# Friedman's test with the raters as blocks: chi2 (tie-corrected) = m (k - 1) W, the same p
friedman.test(t(as.matrix(anxiety)))
#   repro: Friedman chi-squared = 30.760441929399082, df = 19, p-value = 0.04288347312694786

# ---- test_exact_p_matches_friedman_table: Siegel (1956) Table N, exact P(chi2_r >= x), no ties ----
# SuppDists' pFriedman is the exact distribution of Friedman's chi2_r (r = items, N = raters).
# lower.tail = FALSE gives P(X > x); the table is P(X >= x), so x is lowered by a hair.
siegel <- data.frame(
  k = c(3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4),
  m = c(3, 3, 4, 4, 5, 5, 6, 6, 3, 3, 4),
  x = c(6.0, 4.667, 6.5, 8.0, 6.4, 8.4, 7.0, 9.0, 7.4, 9.0, 7.8),
  table_p = c(0.028, 0.194, 0.042, 0.0046, 0.039, 0.0085, 0.029, 0.0081, 0.033, 0.0017, 0.036))
siegel$suppdists_p <- mapply(function(x, k, m) pFriedman(x - 1e-6, r = k, N = m, lower.tail = FALSE),
                             siegel$x, siegel$k, siegel$m)
print(siegel)
#   repro (exact_p_no_ties): 0.027778 0.194444 0.041667 0.004630 0.039352 0.008488 0.028935 0.008102
#                            0.032986 0.001736 0.036386 (each rounds to table_p at its printed digits)

# ---- test_exact_range_twice_suppdists: k = 5, m = 16, the largest S has p = 1 / 120^15 ----
# The largest chi2_r (full agreement) is m (k - 1) = 64; only the 120 orders of full agreement reach it.
pFriedman(64 - 1e-6, r = 5, N = 16, lower.tail = FALSE)
#   asserted: 120^-15 = 6.49e-32 (relative 1e-9)

# ---- test_nag_g08aef_documented_example: NAG G08AEF, 3 treatments, 18 blocks, one tied block ----
g1 <- c(1, 2, 1, 1, 3, 2, 3, 1, 3, 3, 2, 2, 3, 2, 2.5, 3, 3, 2)
g2 <- c(3, 3, 3, 2, 1, 3, 2, 3, 1, 1, 3, 3, 2, 3, 2.5, 2, 2, 3)
g3 <- c(2, 1, 2, 3, 2, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1)
blocks <- cbind(g1, g2, g3)
# NAG documents the statistic WITHOUT the tie correction: 8.583, df 2, significance 0.014
m <- nrow(blocks); k <- ncol(blocks); R <- colSums(blocks)
chi2_plain <- 12 / (m * k * (k + 1)) * sum(R^2) - 3 * m * (k + 1)
c(chi2_plain, pchisq(chi2_plain, k - 1, lower.tail = FALSE))
#   repro (correct = FALSE): 8.583333333333334, p = 0.013682102779250756
# R's friedman.test applies the tie correction, as repro's correct = TRUE and SciPy do:
friedman.test(blocks)
#   repro (correct = TRUE):  8.704225352112676, p = 0.012879573450437958

# ---- test_monte_carlo_agrees_with_exact_and_scipy: a Monte Carlo permutation p ----
# coin's Friedman test with resampling within blocks (raters) is the same permutation scheme
# (each rater's ranks permuted independently); its p agrees with repro's within Monte Carlo error.
library(coin)
ranks <- rbind(c(1, 2, 3), c(1, 3, 2), c(2, 1, 3), c(1, 2, 3), c(1, 2, 3))   # the kendall_w doctest
d <- data.frame(y = as.vector(t(ranks)), item = factor(rep(1:3, 5)), rater = factor(rep(1:5, each = 3)))
friedman_test(y ~ item | rater, data = d, distribution = approximate(nresample = 100000))
#   repro: exact p = 306 / 7776 = 0.03935; chi2 = 6.4, asymptotic p = 0.0408
