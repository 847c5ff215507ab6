# Reference values for the statistical core (src/stats), computed with R.
#
# Regenerate (needs R >= 4.2; no packages: the JSON writer below is hand-written
# so that every number keeps 17 significant digits):
#
#   Rscript test/reference/stats.R > test/reference/stats.json
#   npx biome format --write test/reference/stats.json   # the repo's JSON layout; values unchanged
#
# Each case records `call`: the exact R expression whose value is the
# reference. Tests read test/reference/stats.json (committed; CI does not run R)
# and show `call` as the test name. Where R has no built-in (beta-binomial
# tail, beta-binomial MLE, Spiegelhalter funnel, optimal partitioning, CUSUM,
# single change point) the formulas are written out below as R functions and
# the call names them; their definitions are the reference.
#
# Generated with: R version printed in `meta.R`.

# ---- a minimal JSON writer with 17 significant digits ------------------------
num <- function(x) {
  if (is.na(x)) return("null")
  if (is.infinite(x)) return(if (x > 0) "\"Inf\"" else "\"-Inf\"")
  if (x == round(x) && abs(x) < 1e15) return(sprintf("%.0f", x))
  for (digits in 15:17) {
    s <- sprintf(paste0("%.", digits, "g"), x)
    if (as.numeric(s) == x) return(s)
  }
  s
}
to_json <- function(x) {
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (!is.null(names(x))) {
      parts <- mapply(function(k, v) paste0("\"", k, "\":", to_json(v)), names(x), x)
      return(paste0("{", paste(parts, collapse = ","), "}"))
    }
    return(paste0("[", paste(vapply(x, to_json, ""), collapse = ","), "]"))
  }
  as_array <- inherits(x, "AsIs") || length(x) != 1
  vals <- if (is.character(x)) {
    paste0("\"", gsub("\"", "\\\\\"", x), "\"")
  } else if (is.logical(x)) {
    ifelse(x, "true", "false")
  } else {
    vapply(as.numeric(x), num, "")
  }
  if (as_array) paste0("[", paste(vals, collapse = ","), "]") else vals
}

# evaluate a call given as text, keep the text beside its value
ev <- function(text) eval(parse(text = text), envir = globalenv())
case <- function(text, ...) c(list(call = text), list(...), list(value = ev(text)))

out <- list()
out$meta <- list(R = R.version.string, note = "Rscript test/reference/stats.R > test/reference/stats.json")

# ---- special functions --------------------------------------------------------
out$lgamma <- lapply(c(0.1, 0.5, 1, 1.5, 2.5, 10, 30.5, 100.5, 1000.25, 1e6 + 0.3), function(x)
  case(sprintf("lgamma(%s)", num(x)), x = x))
out$lbeta <- lapply(list(c(0.5, 0.5), c(2, 3), c(3.2, 1e6), c(5e5, 5e5), c(12, 15), c(0.1, 50)), function(p)
  case(sprintf("lbeta(%s, %s)", num(p[1]), num(p[2])), a = p[1], b = p[2]))
out$lchoose <- lapply(list(c(5, 2), c(50, 25), c(1e6, 3), c(1e6, 5e5), c(7, 0), c(7, 7)), function(p)
  case(sprintf("lchoose(%s, %s)", num(p[1]), num(p[2])), n = p[1], k = p[2]))
out$digamma <- lapply(c(0.1, 1, 2.5, 9.99, 10, 123.4, 1e6), function(x)
  case(sprintf("digamma(%s)", num(x)), x = x))
out$trigamma <- lapply(c(0.1, 1, 2.5, 9.99, 10, 123.4, 1e6), function(x)
  case(sprintf("trigamma(%s)", num(x)), x = x))

# ---- distributions ------------------------------------------------------------
out$pnorm <- unlist(lapply(c(-40, -37.9, -30, -20, -10, -5.6, -5, -1.96, -1, -0.6, -1e-10, 0, 0.5, 0.7, 1, 3, 5.7, 8.3, 15, 37.5), function(x)
  lapply(c(TRUE, FALSE), function(lt)
    case(sprintf("pnorm(%s, lower.tail = %s)", num(x), lt), x = x, lowerTail = lt))), recursive = FALSE)
out$pnorm <- c(out$pnorm, list(case("pnorm(12, mean = 10, sd = 3)", x = 12, mean = 10, sd = 3, lowerTail = TRUE)))
out$qnorm <- unlist(lapply(c(1e-300, 1e-20, 1e-10, 0.001, 0.025, 0.3, 0.5, 0.7, 0.975, 0.999999), function(p)
  lapply(c(TRUE, FALSE), function(lt)
    case(sprintf("qnorm(%s, lower.tail = %s)", num(p), lt), p = p, lowerTail = lt))), recursive = FALSE)
beta_args <- list(c(0.3, 2.5, 7), c(0.5, 2, 3), c(0.5, 500000, 500001), c(1e-8, 1, 1e6), c(0.999, 1e6, 10),
                  c(0.01, 0.5, 0.5), c(0.95, 40, 3), c(0.2, 1, 1), c(1e-5, 3, 1e5))
out$pbeta <- unlist(lapply(beta_args, function(p)
  lapply(c(TRUE, FALSE), function(lt)
    case(sprintf("pbeta(%s, %s, %s, lower.tail = %s)", num(p[1]), num(p[2]), num(p[3]), lt),
         x = p[1], a = p[2], b = p[3], lowerTail = lt))), recursive = FALSE)
qbeta_args <- list(c(0.025, 3, 98), c(0.975, 4, 97), c(1e-12, 0.5, 0.5), c(0.5, 2, 3), c(0.001, 50, 5),
                   c(0.025, 1, 20), c(0.975, 20, 1), c(0.05, 1000, 1e6), c(0.9, 0.2, 0.3),
                   c(1e-300, 2, 5), c(1e-200, 0.5, 40))
out$qbeta <- unlist(lapply(qbeta_args, function(p)
  lapply(c(TRUE, FALSE), function(lt)
    case(sprintf("qbeta(%s, %s, %s, lower.tail = %s)", num(p[1]), num(p[2]), num(p[3]), lt),
         p = p[1], a = p[2], b = p[3], lowerTail = lt))), recursive = FALSE)
gamma_args <- list(c(3, 2.5), c(0.1, 0.5), c(1e6 + 1000, 1e6), c(50, 30), c(1e-3, 2), c(10, 10), c(2, 1))
out$pgamma <- unlist(lapply(gamma_args, function(p)
  lapply(c(TRUE, FALSE), function(lt)
    case(sprintf("pgamma(%s, %s, lower.tail = %s)", num(p[1]), num(p[2]), lt),
         x = p[1], shape = p[2], lowerTail = lt))), recursive = FALSE)
out$pgamma <- c(out$pgamma, list(case("pgamma(7, 3, scale = 2)", x = 7, shape = 3, scale = 2, lowerTail = TRUE)))
qgamma_args <- list(c(0.025, 5), c(0.975, 6), c(0.975, 1e6 + 1), c(0.5, 0.5), c(1e-10, 3), c(0.95, 1),
                    c(1e-300, 0.01), c(1e-100, 2))
out$qgamma <- unlist(lapply(qgamma_args, function(p)
  lapply(c(TRUE, FALSE), function(lt)
    case(sprintf("qgamma(%s, %s, lower.tail = %s)", num(p[1]), num(p[2]), lt),
         p = p[1], shape = p[2], lowerTail = lt))), recursive = FALSE)
binom_args <- list(c(3, 10, 0.5), c(0, 10, 0.3), c(10, 10, 0.3), c(0, 1e6, 1e-6), c(5, 1e6, 1e-6),
                   c(500500, 1e6, 0.5), c(30, 1000, 0.01), c(999990, 1e6, 0.99999), c(1, 1, 0.5),
                   c(7, 1e7, 1e-6), c(5001000, 1e7, 0.5), c(8960512, 26549263, 0.33705487326042877))
out$dbinom <- lapply(binom_args, function(p)
  case(sprintf("dbinom(%s, %s, %s)", num(p[1]), num(p[2]), num(p[3])), k = p[1], n = p[2], p = p[3]))
out$pbinom <- unlist(lapply(binom_args, function(p)
  lapply(c(TRUE, FALSE), function(lt)
    case(sprintf("pbinom(%s, %s, %s, lower.tail = %s)", num(p[1]), num(p[2]), num(p[3]), lt),
         k = p[1], n = p[2], p = p[3], lowerTail = lt))), recursive = FALSE)
out$binomUpper <- lapply(binom_args, function(p)
  case(sprintf("pbinom(%s - 1, %s, %s, lower.tail = FALSE)", num(p[1]), num(p[2]), num(p[3])),
       k = p[1], n = p[2], p = p[3]))

# ---- exact tests and intervals ------------------------------------------------
bt_args <- list(list(7, 20, 0.2), list(0, 10, 0.3), list(10, 10, 0.3), list(682, 925, 0.75), list(5, 1e6, 1e-6),
                list(500500, 1e6, 0.5), list(1, 50, 0.01), list(2, 8, 0.5), list(12, 40, 0.3), list(4, 20, 0.2),
                list(12, 1e7, 1e-6), list(5001000, 1e7, 0.5))
out$binomTest <- unlist(lapply(bt_args, function(a)
  lapply(c("two.sided", "less", "greater"), function(alt) {
    text <- sprintf("binom.test(%s, %s, %s, alternative = \"%s\")", num(a[[1]]), num(a[[2]]), num(a[[3]]), alt)
    r <- ev(text)
    list(call = text, k = a[[1]], n = a[[2]], p0 = a[[3]], alternative = alt, level = 0.95,
         pValue = r$p.value, estimate = unname(r$estimate), ci = as.numeric(r$conf.int))
  })), recursive = FALSE)
out$binomTest <- c(out$binomTest, list(local({
  text <- "binom.test(3, 17, 0.1, conf.level = 0.9)"
  r <- ev(text)
  list(call = text, k = 3, n = 17, p0 = 0.1, alternative = "two.sided", level = 0.9,
       pValue = r$p.value, estimate = unname(r$estimate), ci = as.numeric(r$conf.int))
})))

wilson_args <- list(list(7, 20, 0.95, "two.sided"), list(0, 15, 0.95, "two.sided"), list(15, 15, 0.95, "two.sided"),
                    list(1, 1e6, 0.95, "two.sided"), list(33, 50, 0.9, "two.sided"), list(33, 50, 0.95, "greater"),
                    list(33, 50, 0.95, "less"), list(1, 2, 0.998, "two.sided"))
out$wilson <- lapply(wilson_args, function(a) {
  text <- sprintf("prop.test(%s, %s, conf.level = %s, alternative = \"%s\", correct = FALSE)$conf.int",
                  num(a[[1]]), num(a[[2]]), num(a[[3]]), a[[4]])
  list(call = text, k = a[[1]], n = a[[2]], level = a[[3]], alternative = a[[4]], value = as.numeric(ev(text)))
})

# fisher.test fills the matrix column-major: matrix(c(a, c, b, d), 2) is the table
#   a b
#   c d
# R's estimate uses uniroot's default tolerance (~1e-4); the conditional MLE is
# also solved here to 1e-13 on the log scale with the same equation
# (mnhyper(psi) = a, as in the body of stats::fisher.test).
cond_mle <- function(a, b, c, d) {
  m <- a + c; n <- b + d; k <- a + b
  lo <- max(0L, k - n); hi <- min(k, m); support <- lo:hi
  logdc <- dhyper(support, m, n, k, log = TRUE)
  mn <- function(t) { dd <- logdc + t * support; dd <- exp(dd - max(dd)); sum(support * dd) / sum(dd) }
  if (a == lo) return(0)
  if (a == hi) return(Inf)
  exp(uniroot(function(t) mn(t) - a, c(-50, 50), tol = 1e-13)$root)
}
# the same for the confidence interval (ncp.L / ncp.U in stats::fisher.test), tol 1e-13
cond_ci <- function(a, b, c, d, alternative = "two.sided", conf.level = 0.95) {
  m <- a + c; n <- b + d; k <- a + b
  lo <- max(0L, k - n); hi <- min(k, m); support <- lo:hi
  logdc <- dhyper(support, m, n, k, log = TRUE)
  dn <- function(t) { dd <- logdc + t * support; dd <- exp(dd - max(dd)); dd / sum(dd) }
  pn <- function(q, t, upper = FALSE) if (upper) sum(dn(t)[support >= q]) else sum(dn(t)[support <= q])
  U <- function(alpha) if (a == hi) Inf else exp(uniroot(function(t) pn(a, t) - alpha, c(-60, 60), tol = 1e-13)$root)
  L <- function(alpha) if (a == lo) 0 else exp(uniroot(function(t) pn(a, t, TRUE) - alpha, c(-60, 60), tol = 1e-13)$root)
  switch(alternative, less = c(0, U(1 - conf.level)), greater = c(L(1 - conf.level), Inf),
         two.sided = { al <- (1 - conf.level) / 2; c(L(al), U(al)) })
}
fisher_args <- list(c(3, 1, 1, 3), c(10, 2, 3, 15), c(0, 5, 5, 0), c(1, 9, 11, 3), c(50, 450, 30, 470),
                    c(200, 800, 1000, 9000), c(2, 7, 8, 2), c(12, 5, 12, 5), c(5200, 5000, 5000, 5000))
out$fisher <- unlist(lapply(fisher_args, function(t)
  lapply(c("two.sided", "less", "greater"), function(alt) {
    text <- sprintf("fisher.test(matrix(c(%s, %s, %s, %s), 2), alternative = \"%s\")",
                    num(t[1]), num(t[3]), num(t[2]), num(t[4]), alt)
    r <- ev(text)
    mle_text <- sprintf("cond_mle(%s, %s, %s, %s)", num(t[1]), num(t[2]), num(t[3]), num(t[4]))
    ci_text <- sprintf("cond_ci(%s, %s, %s, %s, alternative = \"%s\")", num(t[1]), num(t[2]), num(t[3]), num(t[4]), alt)
    list(call = text, a = t[1], b = t[2], c = t[3], d = t[4], alternative = alt,
         pValue = r$p.value, estimateR = unname(r$estimate), mleCall = mle_text, oddsRatio = ev(mle_text),
         ciR = as.numeric(r$conf.int), ciCall = ci_text, ci = ev(ci_text))
  })), recursive = FALSE)

# tails at an odds ratio other than 1 (fisher.test's `or`): Fisher's non-central hypergeometric
fisher_or_args <- list(c(3, 9, 40, 10), c(10, 5, 60, 20), c(0, 8, 30, 5), c(25, 25, 200, 50), c(12, 5, 12, 5))
out$fisherOddsRatio <- unlist(lapply(fisher_or_args, function(t)
  lapply(c(0.3, 1.7, 4), function(or) lapply(c("less", "greater"), function(alt) {
    text <- sprintf("fisher.test(matrix(c(%s, %s, %s, %s), 2), or = %s, alternative = \"%s\")$p.value",
                    num(t[1]), num(t[3]), num(t[2]), num(t[4]), num(or), alt)
    list(call = text, a = t[1], b = t[2], c = t[3], d = t[4], oddsRatio = or, alternative = alt, value = ev(text))
  }))), recursive = FALSE)
out$fisherOddsRatio <- unlist(out$fisherOddsRatio, recursive = FALSE)

pois_args <- list(list(10, 2, 3), list(0, 5, 1), list(3, 100, 0.01), list(137, 24.19893, 1), list(1e5, 1e5, 1.002),
                  list(25, 10, 1.2), list(1, 1, 10), list(1e7 + 5000, 1e7, 1))
out$poissonTest <- unlist(lapply(pois_args, function(a)
  lapply(c("two.sided", "less", "greater"), function(alt) {
    text <- sprintf("poisson.test(%s, %s, %s, alternative = \"%s\")", num(a[[1]]), num(a[[2]]), num(a[[3]]), alt)
    r <- ev(text)
    list(call = text, x = a[[1]], exposure = a[[2]], rate = a[[3]], alternative = alt, level = 0.95,
         pValue = r$p.value, estimate = unname(r$estimate), ci = as.numeric(r$conf.int))
  })), recursive = FALSE)
out$poissonTest <- c(out$poissonTest, list(local({
  text <- "poisson.test(7, 3.5, 1, conf.level = 0.9)"
  r <- ev(text)
  list(call = text, x = 7, exposure = 3.5, rate = 1, alternative = "two.sided", level = 0.9,
       pValue = r$p.value, estimate = unname(r$estimate), ci = as.numeric(r$conf.int))
})))

rr_args <- list(list(20, 10, 10, 10, 1), list(11, 800, 23, 3011, 1), list(0, 10, 5, 10, 1), list(5, 10, 0, 20, 1),
                list(30, 12.5, 12, 10, 2), list(1, 1, 1, 1, 1))
out$rateRatio <- unlist(lapply(rr_args, function(a)
  lapply(c("two.sided", "less", "greater"), function(alt) {
    text <- sprintf("poisson.test(c(%s, %s), c(%s, %s), r = %s, alternative = \"%s\")",
                    num(a[[1]]), num(a[[3]]), num(a[[2]]), num(a[[4]]), num(a[[5]]), alt)
    r <- ev(text)
    list(call = text, x1 = a[[1]], t1 = a[[2]], x2 = a[[3]], t2 = a[[4]], ratio = a[[5]], alternative = alt,
         pValue = r$p.value, estimate = unname(r$estimate), ci = as.numeric(r$conf.int))
  })), recursive = FALSE)

z_args <- list(c(30, 100, 20, 100), c(5, 50, 15, 60), c(300, 1000, 250, 1000), c(0, 20, 3, 25), c(40, 40, 35, 41))
out$twoProportion <- unlist(lapply(z_args, function(a)
  lapply(c("two.sided", "less", "greater"), function(alt) {
    text <- sprintf("prop.test(c(%s, %s), c(%s, %s), alternative = \"%s\", correct = FALSE)",
                    num(a[1]), num(a[3]), num(a[2]), num(a[4]), alt)
    r <- ev(text)
    list(call = text, k1 = a[1], n1 = a[2], k2 = a[3], n2 = a[4], alternative = alt,
         statistic = unname(r$statistic), pValue = r$p.value,
         estimate = unname(r$estimate[1] - r$estimate[2]), ci = as.numeric(r$conf.int))
  })), recursive = FALSE)

bh_inputs <- list(c(0.01, 0.04, 0.03, 0.2), c(0.5), c(0.001, 0.001, 0.001, 0.9, 0.04),
                  c(0, 1, 0.5, 0.02, 0.02, 0.3, 1e-12), c(0.9, 0.8, 0.7, 0.6))
out$bh <- lapply(bh_inputs, function(p) {
  text <- sprintf("p.adjust(c(%s), method = \"BH\")", paste(vapply(p, num, ""), collapse = ", "))
  list(call = text, p = I(p), value = I(ev(text)))
})

# ---- empirical Bayes -----------------------------------------------------------
# beta-binomial log-likelihood and its gradient in (log a, log b)
bb_negll <- function(par, k, n) {
  a <- exp(par[1]); b <- exp(par[2])
  -sum(lchoose(n, k) + lbeta(k + a, n - k + b) - lbeta(a, b))
}
bb_grad <- function(par, k, n) {
  a <- exp(par[1]); b <- exp(par[2])
  ga <- sum(digamma(k + a) - digamma(n + a + b) - digamma(a) + digamma(a + b))
  gb <- sum(digamma(n - k + b) - digamma(n + a + b) - digamma(b) + digamma(a + b))
  -c(a * ga, b * gb)
}
bb_fit <- function(k, n) {
  o <- optim(c(0, 0), bb_negll, bb_grad, k = k, n = n, method = "BFGS",
             control = list(reltol = 1e-15, maxit = 10000))
  o2 <- nlminb(o$par, bb_negll, bb_grad, k = k, n = n, control = list(rel.tol = 1e-15, x.tol = 1e-15))
  c(alpha = exp(o2$par[1]), beta = exp(o2$par[2]), logLik = -o2$objective)
}
set.seed(20261124)
bb_n1 <- c(12, 40, 25, 8, 60, 33, 17, 90, 45, 22, 14, 70, 38, 9, 55, 27, 31, 64, 19, 48)
bb_k1 <- rbinom(length(bb_n1), bb_n1, rbeta(length(bb_n1), 4, 12))
bb_n2 <- c(200, 150, 320, 80, 410, 95, 260, 130, 175, 60, 240, 300)
bb_k2 <- rbinom(length(bb_n2), bb_n2, rbeta(length(bb_n2), 30, 3))
out$betaBinomialFit <- lapply(list(list(bb_k1, bb_n1), list(bb_k2, bb_n2), list(c(0, 0, 0, 0, 5), rep(10, 5)),
                                   list(c(1, 9), c(10, 10))), function(d) {
  text <- sprintf("bb_fit(c(%s), c(%s))", paste(d[[1]], collapse = ", "), paste(d[[2]], collapse = ", "))
  f <- ev(text)
  list(call = text, k = I(d[[1]]), n = I(d[[2]]), alpha = unname(f["alpha"]), beta = unname(f["beta"]),
       logLik = unname(f["logLik"]))
})
# under-dispersed counts: the likelihood increases towards the binomial limit
bb_k3 <- c(5, 5, 6, 4, 5, 5, 6, 4, 5, 5)
bb_n3 <- rep(20, 10)
# (also: k = c(50000, 3, 2, 5), n = c(1e5, 10, 10, 10), whose profile likelihood
# rises monotonically in a + b, checked in the test against the binomial limit)
out$betaBinomialDegenerate2 <- local({
  k <- c(50000, 3, 2, 5); n <- c(1e5, 10, 10, 10)
  list(call = sprintf("sum(dbinom(c(50000, 3, 2, 5), c(1e5, 10, 10, 10), %s, log = TRUE))", num(sum(k) / sum(n))),
       k = I(k), n = I(n), pooled = sum(k) / sum(n), value = sum(dbinom(k, n, sum(k) / sum(n), log = TRUE)))
})
out$betaBinomialDegenerate <- list(
  call = sprintf("sum(dbinom(c(%s), c(%s), %s, log = TRUE))", paste(bb_k3, collapse = ", "),
                 paste(bb_n3, collapse = ", "), num(sum(bb_k3) / sum(bb_n3))),
  k = I(bb_k3), n = I(bb_n3), pooled = sum(bb_k3) / sum(bb_n3),
  value = sum(dbinom(bb_k3, bb_n3, sum(bb_k3) / sum(bb_n3), log = TRUE)))

shrink_args <- list(c(8, 8, 6, 14), c(0, 30, 2.5, 7.5), c(45, 50, 0.8, 0.4), c(300, 1000, 120.5, 240.25))
out$shrink <- lapply(shrink_args, function(a) {
  text <- sprintf("qbeta(c(0.025, 0.975), %s + %s, %s + %s - %s)", num(a[3]), num(a[1]), num(a[4]), num(a[2]), num(a[1]))
  list(call = text, k = a[1], n = a[2], alpha = a[3], beta = a[4],
       mean = (a[3] + a[1]) / (a[3] + a[4] + a[2]), ci = ev(text))
})
post_args <- list(c(9, 10, 0.5, 1, 1), c(80, 100, 0.9, 20, 5), c(3, 40, 0.2, 2, 18), c(1000, 1000, 0.999, 50, 2))
out$posteriorExceedance <- lapply(post_args, function(a) {
  text <- sprintf("pbeta(%s, %s + %s, %s + %s - %s, lower.tail = FALSE)",
                  num(a[3]), num(a[4]), num(a[1]), num(a[5]), num(a[2]), num(a[1]))
  list(call = text, k = a[1], n = a[2], threshold = a[3], alpha = a[4], beta = a[5], value = ev(text))
})
bb_tail <- function(k, n, a, b) { x <- k:n; sum(exp(lchoose(n, x) + lbeta(x + a, n - x + b) - lbeta(a, b))) }
bbt_args <- list(c(8, 10, 2, 3), c(0, 10, 2, 3), c(10, 10, 2, 3), c(3, 10, 2, 3), c(18, 20, 0.5, 0.5),
                 c(1, 20, 0.5, 0.5), c(150, 2000, 5, 95), c(40, 2000, 5, 95), c(60, 60, 30, 3))
out$betaBinomialUpperTail <- lapply(bbt_args, function(a) {
  text <- sprintf("bb_tail(%s, %s, %s, %s)", num(a[1]), num(a[2]), num(a[3]), num(a[4]))
  list(call = text, k = a[1], n = a[2], alpha = a[3], beta = a[4], value = ev(text))
})

# ---- funnel plot (Spiegelhalter 2005, Stat Med 24:1185, doi:10.1002/sim.1970) ---
funnel <- function(k, n, p0 = sum(k) / sum(n), q = 0.1) {
  y <- k / n
  s <- sqrt(p0 * (1 - p0) / n)
  z <- (y - p0) / s
  lims <- quantile(z, c(q, 1 - q), type = 7, names = FALSE)
  zw <- pmin(pmax(z, lims[1]), lims[2])
  I <- length(z)
  phi <- sum(zw^2) / I
  w <- 1 / s^2
  tau2 <- max(0, (I * phi - (I - 1)) / (sum(w) - sum(w^2) / sum(w)))
  zD <- (y - p0) / sqrt(s^2 + tau2)
  list(p0 = p0, phi = phi, tau2 = tau2, z = z, zWinsorized = zw,
       zMultiplicative = if (phi > 1) z / sqrt(phi) else z, zAdditive = zD,
       pTwoSided = 2 * pnorm(-abs(zD)), pGreater = pnorm(zD, lower.tail = FALSE))
}
funnel_limits <- function(n, p0, tau2 = 0, phi = 1, level = 0.95) {
  z <- qnorm((1 + level) / 2)
  sd <- sqrt(phi * p0 * (1 - p0) / n + tau2)
  c(max(0, p0 - z * sd), min(1, p0 + z * sd))
}
fk <- c(12, 30, 8, 25, 40, 5, 61, 18, 22, 9, 35, 14, 27, 50, 11, 16, 70, 21, 33, 7)
fn_ <- c(100, 150, 90, 110, 200, 60, 240, 120, 95, 80, 210, 100, 130, 260, 70, 90, 300, 140, 160, 75)
out$funnel <- lapply(list(NULL, 0.15), function(p0) {
  text <- if (is.null(p0)) {
    sprintf("funnel(c(%s), c(%s))", paste(fk, collapse = ", "), paste(fn_, collapse = ", "))
  } else {
    sprintf("funnel(c(%s), c(%s), p0 = %s)", paste(fk, collapse = ", "), paste(fn_, collapse = ", "), num(p0))
  }
  r <- ev(text)
  c(list(call = text, k = I(fk), n = I(fn_), p0Given = if (is.null(p0)) "pooled" else p0), r)
})
limit_args <- list(list(10, 0.2, 0, 1, 0.95), list(100, 0.2, 0, 1, 0.998), list(1000, 0.2, 0.004, 1, 0.95),
                   list(1000, 0.2, 0, 2.5, 0.998), list(3, 0.5, 0, 1, 0.998))
out$funnelLimits <- lapply(limit_args, function(a) {
  text <- sprintf("funnel_limits(%s, %s, tau2 = %s, phi = %s, level = %s)",
                  num(a[[1]]), num(a[[2]]), num(a[[3]]), num(a[[4]]), num(a[[5]]))
  list(call = text, n = a[[1]], p0 = a[[2]], tau2 = a[[3]], phi = a[[4]], level = a[[5]], value = ev(text))
})

# ---- change points --------------------------------------------------------------
# Exact optimal partitioning (Jackson et al. 2005) for a change in mean, L2 cost
# sum((x - mean)^2) per segment, `pen` per change, segments >= minseg long: the
# optimum PELT must reproduce. (r-cran-changepoint is not packaged in Debian
# bookworm, so changepoint::cpt.mean could not be run here.) Ties go to the
# earliest last change point (which.min).
op_mean <- function(x, pen, minseg) {
  n <- length(x)
  cs <- c(0, cumsum(x)); cs2 <- c(0, cumsum(x^2))
  cost <- function(s, t) (cs2[t + 1] - cs2[s + 1]) - (cs[t + 1] - cs[s + 1])^2 / (t - s)
  F <- rep(Inf, n + 1); F[1] <- -pen; last <- integer(n + 1)
  if (n >= minseg) for (t in minseg:n) {
    taus <- c(0, if (t - minseg >= minseg) minseg:(t - minseg))
    v <- F[taus + 1] + cost(taus, t) + pen
    i <- which.min(v); F[t + 1] <- v[i]; last[t + 1] <- taus[i]
  }
  cps <- integer(0); t <- n
  while (t > 0 && last[t + 1] > 0) { cps <- c(last[t + 1], cps); t <- last[t + 1] }
  list(changePoints = I(cps), cost = F[n + 1])
}
set.seed(7)
cp1 <- round(c(rnorm(40, 0), rnorm(30, 2), rnorm(50, -1), rnorm(30, 1.5)), 3)
cp2 <- round(c(rnorm(100, 8, 1), rnorm(100, 9.2, 1)), 3)
cp3 <- round(rnorm(60, 5, 0.5), 3)
cp4 <- round(c(rep(1, 6), rep(5, 3), rep(1, 6)) + rnorm(15, 0, 0.01), 3)
cp_series <- list(cp1 = cp1, cp2 = cp2, cp3 = cp3, cp4 = cp4)
pelt_args <- list(list("cp1", 2 * log(150), 5), list("cp1", 10, 1), list("cp2", 3 * log(200), 5),
                  list("cp3", 2 * log(60), 5), list("cp4", 0.5, 5), list("cp4", 0.5, 2), list("cp1", 0, 10))
out$pelt <- lapply(pelt_args, function(a) {
  x <- cp_series[[a[[1]]]]
  text <- sprintf("op_mean(%s, pen = %s, minseg = %s)", a[[1]], num(a[[2]]), num(a[[3]]))
  r <- ev(text)
  list(call = text, series = I(x), penalty = a[[2]], minSegment = a[[3]], changePoints = r$changePoints, cost = r$cost)
})

# one-sided upper CUSUM (Page 1954): S_t = max(0, S_{t-1} + x_t - target - k); alarm at first S_t > h
cusum_upper <- function(x, target, k, h) {
  s <- numeric(length(x)); prev <- 0
  for (i in seq_along(x)) { prev <- max(0, prev + x[i] - target - k); s[i] <- prev }
  alarm <- which(s > h)[1]
  list(path = I(s), alarmIndex = if (is.na(alarm)) NULL else alarm - 1)
}
out$cusum <- lapply(list(list("cp2", 8, 0.5, 5), list("cp3", 5, 0.25, 4), list("cp1", 0, 0.5, 4)), function(a) {
  x <- cp_series[[a[[1]]]]
  text <- sprintf("cusum_upper(%s, target = %s, k = %s, h = %s)", a[[1]], num(a[[2]]), num(a[[3]]), num(a[[4]]))
  r <- ev(text)
  list(call = text, series = I(x), target = a[[2]], k = a[[3]], h = a[[4]], path = r$path, alarmIndex = r$alarmIndex)
})

# best single split: argmax over tau of n1 n2 / n (mean2 - mean1)^2, divided by var(x)
single_cp <- function(x, minseg = 1) {
  n <- length(x); taus <- minseg:(n - minseg)
  g <- vapply(taus, function(t) t * (n - t) / n * (mean(x[(t + 1):n]) - mean(x[1:t]))^2, 0)
  i <- which.max(g); t <- taus[i]
  list(index = t, statistic = g[i] / var(x), meanBefore = mean(x[1:t]), meanAfter = mean(x[(t + 1):n]))
}
out$singleChangePoint <- lapply(list(list("cp2", 1), list("cp1", 10), list("cp3", 3)), function(a) {
  x <- cp_series[[a[[1]]]]
  text <- sprintf("single_cp(%s, minseg = %s)", a[[1]], num(a[[2]]))
  c(list(call = text, series = I(x), minSegment = a[[2]]), ev(text))
})

# DerSimonian-Laird between-unit variance (src/stats/derSimonianLaird.ts), the formula written out
# (metafor::rma(y, v, method = "DL")$tau2 computes the same)
dl_tau2 <- function(y, v) {
  w <- 1 / v; m <- sum(w * y) / sum(w); q <- sum(w * (y - m)^2)
  max(0, (q - (length(y) - 1)) / (sum(w) - sum(w^2) / sum(w)))
}
set.seed(20261209)
dl_cases <- list(
  list(y = c(0.1, 0.9, -0.4, 0.5), v = c(0.04, 0.05, 0.06, 0.04)),
  list(y = rnorm(30, 0.2, sqrt(0.05 + 0.1)), v = rep(0.05, 30)),
  list(y = rnorm(50, -0.1, 0.05), v = runif(50, 0.02, 0.2)),
  list(y = c(rnorm(20, 0, 0.6), 3), v = runif(21, 0.1, 0.5))
)
out$derSimonianLaird <- lapply(seq_along(dl_cases), function(i) {
  text <- sprintf("dl_tau2(dl_cases[[%d]]$y, dl_cases[[%d]]$v)", i, i)
  list(call = text, y = I(dl_cases[[i]]$y), v = I(dl_cases[[i]]$v), value = ev(text))
})

# Spiegelhalter's additive over-dispersion of excesses d with variances v (src/stats/additiveOverdispersion.ts):
# z = d / sqrt(v) winsorized at the type-7 quantiles w and 1 - w, phi = mean(z_w^2) / E[z_w^2 | N(0, 1)],
# tau2 = max(0, (I phi - (I - 1)) / (sum(1/v) - sum(1/v^2) / sum(1/v)))
winsorized_m2 <- function(w) { c <- qnorm(1 - w); (1 - 2 * w) - 2 * c * dnorm(c) + 2 * w * c^2 }
additive_od <- function(d, v, w) {
  z <- d / sqrt(v); I <- length(z)
  q <- quantile(z, c(w, 1 - w), type = 7, names = FALSE)
  phi <- sum(pmin(q[2], pmax(q[1], z))^2) / (I * winsorized_m2(w))
  wt <- 1 / v
  list(phi = phi, tau2 = max(0, (I * phi - (I - 1)) / (sum(wt) - sum(wt^2) / sum(wt))))
}
out$winsorizedSecondMoment <- lapply(c(0.05, 0.1, 0.2, 0.3), function(w) {
  text <- sprintf("integrate(function(z) pmin(qnorm(%s), pmax(qnorm(%s), z))^2 * dnorm(z), -Inf, Inf, rel.tol = 1e-12)$value",
                  num(1 - w), num(w))
  list(call = text, w = w, value = ev(text))
})
set.seed(20261207)
od_cases <- list(
  list(d = rnorm(40, 0, sqrt(0.02 + 0.01)), v = rep(0.02, 40), w = 0.1),
  list(d = c(rnorm(60, 0, 0.1), 1.5, 2), v = runif(62, 0.005, 0.02), w = 0.1),
  list(d = rnorm(25, 0, 0.05), v = runif(25, 0.01, 0.04), w = 0.2),
  list(d = rnorm(12, 0.3, 0.4), v = runif(12, 0.05, 0.2), w = 0.05)
)
out$additiveOverdispersion <- lapply(seq_along(od_cases), function(i) {
  text <- sprintf("additive_od(od_cases[[%d]]$d, od_cases[[%d]]$v, %s)", i, i, num(od_cases[[i]]$w))
  r <- ev(text)
  list(call = text, excess = I(od_cases[[i]]$d), variance = I(od_cases[[i]]$v), winsorize = od_cases[[i]]$w,
       phi = r$phi, tau2 = r$tau2)
})

# The ordinal location-shift fits (src/stats/ordinalShift.ts), their posterior modes by optimize():
# fitTopShift: P(top_i) = F(F^-1(p_i) + d), prior N(0, 3^2), and its Fisher information at the mode;
# fitTruncatedShift: the scores below the top, P(k | k < top, d) with P(level >= k | d) = F(F^-1(G_k) + d),
# G_k = P(level >= k) among peers (base), a normal prior, and the expected information of those scores
# (each score's log-probability differentiated numerically).
link_cdf <- function(link) if (link == "probit") pnorm else plogis
link_inv <- function(link) if (link == "probit") qnorm else qlogis
link_density <- function(link) if (link == "probit") dnorm else dlogis
top_shift <- function(p, top, link) {
  F <- link_cdf(link); eta <- link_inv(link)(pmin(1 - 1e-9, pmax(1e-9, p)))
  lpost <- function(d) sum(dbinom(top, 1, F(eta + d), log = TRUE)) + dnorm(d, 0, 3, log = TRUE)
  d <- optimize(lpost, c(-10, 10), maximum = TRUE, tol = 1e-12)$maximum
  pr <- F(eta + d)
  list(shift = d, information = sum(link_density(link)(eta + d)^2 / (pr * (1 - pr))))
}
trunc_shift <- function(base, level, link, prior_mean, prior_sd) {
  F <- link_cdf(link); inv <- link_inv(link)
  L <- ncol(base); top <- L - 1; below <- which(level < top)
  S_of <- function(i, d) c(1, F(inv(pmin(1 - 1e-12, pmax(1e-12, 1 - cumsum(base[i, ])[1:(L - 1)]))) + d), 0)
  logp <- function(i, k, d) { S <- S_of(i, d); log(S[k + 1] - S[k + 2]) - log(1 - S[top + 1]) }
  lpost <- function(d) dnorm(d, prior_mean, prior_sd, log = TRUE) + sum(vapply(below, function(i) logp(i, level[i], d), 0))
  d <- optimize(lpost, c(-10, 10), maximum = TRUE, tol = 1e-12)$maximum
  h <- 1e-5
  info <- sum(vapply(below, function(i) {
    S <- S_of(i, d); pk <- (S[1:top] - S[2:(top + 1)]) / (1 - S[top + 1])
    sum(vapply(0:(top - 1), function(k)
      if (pk[k + 1] > 0) pk[k + 1] * ((logp(i, k, d + h) - logp(i, k, d - h)) / (2 * h))^2 else 0, 0))
  }, 0))
  list(shift = d, dataInformation = info)
}
set.seed(20261208)
shift_data <- lapply(1:4, function(case) {
  n <- c(12, 40, 75, 30)[case]; L <- 11
  strata <- lapply(1:4, function(s) { w <- rgamma(L, shape = seq(0.3, 3, length.out = L)); w / sum(w) })
  stratum <- sample(1:4, n, replace = TRUE)
  base <- t(vapply(stratum, function(s) strata[[s]], numeric(L)))
  level <- vapply(seq_len(n), function(i) sample(0:(L - 1), 1, prob = base[i, ]), 0)
  list(base = base, level = level, p = base[, L], top = as.numeric(level == L - 1))
})
out$topShift <- unlist(lapply(seq_along(shift_data), function(i) lapply(c("probit", "logit"), function(link) {
  text <- sprintf("top_shift(shift_data[[%d]]$p, shift_data[[%d]]$top, \"%s\")", i, i, link)
  r <- ev(text)
  list(call = text, p = I(shift_data[[i]]$p), top = I(shift_data[[i]]$top), link = link,
       shift = r$shift, information = r$information)
})), recursive = FALSE)
out$truncatedShift <- unlist(lapply(seq_along(shift_data), function(i)
  lapply(list(list("probit", 0, 3), list("logit", 0, 3), list("probit", 0.2, 0.5)), function(a) {
    text <- sprintf("trunc_shift(shift_data[[%d]]$base, shift_data[[%d]]$level, \"%s\", %s, %s)",
                    i, i, a[[1]], num(a[[2]]), num(a[[3]]))
    r <- ev(text)
    list(call = text, base = I(as.vector(t(shift_data[[i]]$base))), levels = ncol(shift_data[[i]]$base),
         level = I(shift_data[[i]]$level), link = a[[1]], priorMean = a[[2]], priorSd = a[[3]],
         shift = r$shift, dataInformation = r$dataInformation)
  })), recursive = FALSE)

# E[g(T)] for T ~ Student-t(df) scaled to unit variance and g(z) = pnorm(a z - c), an increasing tail
# probability of a shift (src/stats/studentTNodes.ts integrates such a g with its nodes)
t_tail_mean <- function(df, a, c) {
  s <- sqrt((df - 2) / df)
  integrate(function(t) pnorm(a * s * t - c) * dt(t, df), -Inf, Inf, rel.tol = 1e-12)$value
}
out$studentTTailMean <- unlist(lapply(c(4, 8), function(df)
  lapply(list(c(1, 2), c(2, 8), c(3, 10), c(5, 20), c(3, 15), c(2, 12)), function(ac) {
    text <- sprintf("t_tail_mean(%s, %s, %s)", num(df), num(ac[1]), num(ac[2]))
    list(call = text, df = df, a = ac[1], c = ac[2], value = ev(text))
  })), recursive = FALSE)

# tail of a sum of independent two-point terms, grouped in strata (top-box-inflation's coaching score
# under the null): stratum g has m[g] terms taking lo[g] (prob 1 - p[g]) or hi[g] (prob p[g]), mean 0.
# The exact distribution is the convolution over strata of lo*m + (hi - lo) * Binomial(m, p), equal sums
# merged; the tail at x adds a N(0, sigma2) term when sigma2 > 0.
two_point_sum <- function(lo, hi, p, m) {
  sums <- 0; probs <- 1
  for (g in seq_along(m)) {
    k <- 0:m[g]
    s <- as.vector(outer(sums, lo[g] * m[g] + (hi[g] - lo[g]) * k, "+"))
    pr <- as.vector(outer(probs, dbinom(k, m[g], p[g])))
    key <- round(s, 9)
    o <- order(key); key <- key[o]; pr <- pr[o]
    first <- !duplicated(key)
    sums <- key[first]; probs <- as.vector(tapply(pr, cumsum(first), sum))
  }
  list(sums = sums, probs = probs)
}
two_point_sum_upper <- function(lo, hi, p, m, x, sigma2 = 0) {
  d <- two_point_sum(lo, hi, p, m)
  if (sigma2 == 0) return(sum(d$probs[d$sums >= x - 1e-9]))
  sum(d$probs * pnorm(x, mean = d$sums, sd = sqrt(sigma2), lower.tail = FALSE))
}
# x: the attained sums where the exact tail first falls to 1e-2, 1e-4, 1e-6 and 1e-8 (and, for the
# one-stratum lattice, the tail beyond x: P(S > x) = P(S >= the next attained sum))
two_point_cases <- function(name, lo, hi, p, m, sigma2 = 0) {
  d <- two_point_sum(lo, hi, p, m)
  tail <- rev(cumsum(rev(d$probs)))
  lapply(c(1e-2, 1e-4, 1e-6, 1e-8), function(target) {
    i <- which(tail <= target)[1]
    x <- d$sums[i]
    text <- sprintf("two_point_sum_upper(%s$lo, %s$hi, %s$p, %s$m, %s, sigma2 = %s)", name, name, name, name, num(x), num(sigma2))
    c(list(call = text, lo = I(lo), hi = I(hi), p = I(p), m = I(m), sigma2 = sigma2, x = x, value = ev(text)),
      if (sigma2 == 0) list(beyond = if (i < length(tail)) tail[i + 1] else 0) else list())
  })
}
set.seed(20261206)
tp_strata <- local({
  p <- round(runif(10, 0.05, 0.95), 3); m <- sample(2:8, 10, replace = TRUE)
  w <- round(1 / pmax(p, 0.05) - runif(10, 0, 0.8), 3)
  list(lo = -w * p, hi = w * (1 - p), p = p, m = m)
})
# one heavy stratum (a top score from a detractor, weight 20) among light ones: a skewed sum
tp_skewed <- local({
  p <- c(0.05, 0.25, 0.6, 0.95); w <- c(20, 4, 1.5, 1.05)
  list(lo = -w * p, hi = w * (1 - p), p = p, m = c(3, 8, 12, 25))
})
# one stratum: a lattice (Binomial(20, 0.3) centred)
tp_lattice <- list(lo = -0.3, hi = 0.7, p = 0.3, m = 20)
out$twoPointSum <- list(
  strata = two_point_cases("tp_strata", tp_strata$lo, tp_strata$hi, tp_strata$p, tp_strata$m),
  strataWithNormal = two_point_cases("tp_strata", tp_strata$lo, tp_strata$hi, tp_strata$p, tp_strata$m, sigma2 = 4),
  skewed = two_point_cases("tp_skewed", tp_skewed$lo, tp_skewed$hi, tp_skewed$p, tp_skewed$m),
  lattice = two_point_cases("tp_lattice", tp_lattice$lo, tp_lattice$hi, tp_lattice$p, tp_lattice$m)
)

cat(to_json(out), "\n", sep = "")
