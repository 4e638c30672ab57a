"""Matching buyer-group tenders to OCDS releases by their evidence, proposed and never used
by the model: what ``effectmodel track --propose`` scores.

A tender (its ``description``, and where the table gives them ``buyer``, ``cpv``,
``expected_date`` and ``value_eur``) is compared with every candidate (a release's ocid as
a whole, and each lot of it) on nine kinds of evidence (:data:`EVIDENCE`):

- ``title``: the cosine of the two texts' character-trigram TF-IDF vectors (words padded by a
  space, accents and case dropped), so a typo or a compound word costs a few trigrams, not
  the word;
- ``words``: the share of the description's words (weighted by their inverse document
  frequency, squared) that the candidate's title holds: words every title has
  ("levering") weigh little, a place or a project's name much;
- ``numbers``: the share of the description's numbers (a phase, a lot, a project number, a
  year), each with the word before it, that the title holds;
- ``conflict``: 1 where the title gives one of those words another number ('fase 3'
  against 'fase 2'), else 0;
- ``buyer``: the trigram cosine of the buyer's names;
- ``buyer_words``: the share of the buyer's words (weighted as the description's) the
  candidate's buyer holds;
- ``cpv``: 0 for another CPV division; within one, 1/2 plus 1/2 times the share of the
  shorter code's significant digits (trailing zeros off) the two share beyond the division;
- ``days``: days between the publication and the expected date [days];
- ``value``: |ln(ratio)| of the two values [EUR / EUR].

Each kind is cut into levels (:data:`LEVELS`), and each level adds its weight
(:data:`WEIGHTS`) to the pair's log-odds ``z``; evidence one side lacks adds nothing. As in
a conditional logit with a "none" option, a tender's candidates compete, each ocid by its
best unit (itself or a lot): the score of a candidate is
``exp(z) / (exp(NONE) + sum over ocids of exp(max z))``, the chance, on the terms of the
synthetic set the weights were fitted on, that it is the tender, against every other ocid
read and against "not in the file". Candidates are then given out one to one (each tender,
each ocid and lot, once), best score first, and proposed where the score reaches the
threshold (:data:`THRESHOLD`).

The weights were fitted by maximum likelihood (``benchmarks/matching.py --fit``) on
synthetic populations of seeds 1000-1007, and measured there on seeds 0-9 (docs/model.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd
from scipy import sparse

from effectmodel.model.frame import cpv_digits

#: the kinds of evidence, and the upper edges of their levels (a value below the first
#: edge is level 0; at or above the last, the last level)
LEVELS = {"title": (0.2, 0.4, 0.6, 0.8, 0.9), "words": (0.3, 0.5, 0.7, 0.9, 0.99),
          "numbers": (0.01, 0.99), "conflict": (0.5,), "buyer": (0.3, 0.5, 0.7, 0.9),
          "buyer_words": (0.3, 0.7, 0.99), "cpv": (0.25, 0.75, 0.99),
          "days": (30.0, 90.0, 180.0, 365.0), "value": (0.1, 0.3, 0.7, 1.4)}
EVIDENCE = tuple(LEVELS)
#: each level's weight [log-odds], fitted by ``benchmarks/matching.py --fit``
WEIGHTS = {
    "title": (-2.83, -0.36, 0.00, 0.39, 1.05, 1.75),
    "words": (-0.80, 0.27, 0.60, -0.84, -0.31, 1.09),
    "numbers": (-2.65, -1.32, 1.39),
    "conflict": (0.94, -3.52),
    "buyer": (-6.80, -1.81, 1.77, 2.51, 4.49),
    "buyer_words": (1.16, 0.74, -1.50, -0.24),
    "cpv": (-1.46, 0.27, 0.63, 1.81),
    "days": (2.33, 2.07, 1.27, -1.14, -8.29),
    "value": (1.30, 1.41, 0.66, -1.51, -5.87),
}
#: the log-odds of "not in the file", against which the candidates compete
NONE = 3.73
#: the default score a proposal needs: more likely than not
THRESHOLD = 0.5
#: the least score a candidate needs to be listed at all [chance]
FLOOR = 0.01
#: decimals a score is given to, and compared with the threshold at (one value on every
#: surface: the proposals table shows what decided)
DECIMALS = 3
#: candidates compared with every tender at once (bounds memory: tenders x this x 8 bytes
#: for each kind of evidence)
CHUNK = 2_000


_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """``text`` without accents, in lower case, every run of other than letters and digits one
    space: 'Gemeente Súdwest-Fryslân' -> 'gemeente sudwest fryslan'."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(text.casefold()))


def normalised(texts: Iterable[str]) -> list[str]:
    """:func:`normalise` of each text, each distinct text once (names and titles repeat)."""
    seen: dict[str, str] = {}
    return [seen[t] if t in seen else seen.setdefault(t, normalise(t)) for t in texts]


def trigrams(text: str) -> list[str]:
    """The character trigrams of each word of a normalised ``text`` (:func:`normalise`),
    padded by a space on either side ('de' -> ' de', 'de ')."""
    out = []
    for word in text.split():
        w = f" {word} "
        out += [w[i:i + 3] for i in range(len(w) - 2)]
    return out


def _matrix(rows: list[list[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    """Counts of each row's terms (new terms added to ``vocab``)."""
    sizes = np.fromiter((len(t) for t in rows), dtype=np.int64, count=len(rows))
    r = np.repeat(np.arange(len(rows)), sizes)
    c = np.fromiter((vocab.setdefault(t, len(vocab)) for terms in rows for t in terms),
                    dtype=np.int64, count=int(sizes.sum()))
    m = sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(rows), len(vocab)))
    m.sum_duplicates()
    return m


def distinct(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(the distinct texts, in first-seen order; each text's place among them; how often
    each occurs): names and titles repeat, and each is then compared once."""
    index: dict[str, int] = {}
    where = np.fromiter((index.setdefault(t, len(index)) for t in texts), dtype=np.int64,
                        count=len(texts))
    return list(index), where, np.bincount(where, minlength=len(index)).astype(float)


def _idf(m: sparse.csr_matrix, counts: np.ndarray | None = None) -> np.ndarray:
    """ln((1 + n) / (1 + df)) + 1 of each column (scikit-learn's smooth idf), each row
    counted ``counts`` times (1: once each)."""
    counts = np.ones(m.shape[0]) if counts is None else counts
    df = np.bincount(m.indices, weights=np.repeat(counts, np.diff(m.indptr)),
                     minlength=m.shape[1])
    return np.log((1 + counts.sum()) / (1 + df)) + 1.0


def _rows_to_one(m: sparse.csr_matrix, power: float) -> sparse.csr_matrix:
    """Each row divided by its norm (``power`` 2: Euclidean; 1: its sum); empty rows stay."""
    size = np.asarray(m.power(power).sum(axis=1)).ravel() ** (1 / power)
    inverse = np.divide(1.0, size, out=np.zeros_like(size), where=size > 0)
    return sparse.csr_matrix(sparse.diags(inverse) @ m)


def tfidf(texts: Iterable[str], counts: np.ndarray | None = None) -> sparse.csr_matrix:
    """Unit-length TF-IDF rows of normalised ``texts`` (:func:`normalised`) over their
    trigrams (:func:`trigrams`), each text counted ``counts`` times in the frequencies (1:
    once each); an empty text is a row of zeros."""
    m = _matrix([trigrams(t) for t in texts], {})
    return _rows_to_one(m @ sparse.diags(_idf(m, counts)), 2)


def number_terms(words: list[str]) -> list[str]:
    """The numbers among ``words``, each with the word before it where that is no number
    ('fase 2', 'perceel 2'; '2025' after '2022'): a phase and a lot of one number differ."""
    return [f"{words[i - 1]} {w}" if i and not words[i - 1].isdigit() else w
            for i, w in enumerate(words) if w.isdigit()]


def labelled(tenders: list[str], candidates: list[str]
             ) -> tuple[sparse.csr_matrix, sparse.csr_matrix, sparse.csr_matrix,
                        sparse.csr_matrix]:
    """0/1 rows of the labelled numbers ('fase 2') and of their labels ('fase') of the
    normalised texts of the tenders and of the candidates: (tenders' numbers, candidates'
    numbers, tenders' labels, candidates' labels), for :func:`conflicts`."""
    def terms(text: str) -> list[str]:
        return [t for t in set(number_terms(text.split())) if " " in t]

    vocab: dict[str, int] = {}
    nt = [terms(x) for x in tenders]
    nc = [terms(x) for x in candidates]
    out = [_matrix(nt, vocab), _matrix(nc, vocab)]
    lvocab: dict[str, int] = {}
    out += [_matrix([list({t.split()[0] for t in ts}) for ts in nt], lvocab),
            _matrix([list({t.split()[0] for t in ts}) for ts in nc], lvocab)]
    for k in (0, 2):
        out[k].resize(out[k].shape[0], out[k + 1].shape[1])
    return tuple(out)


def conflicts(numbers_t: sparse.csr_matrix, numbers_c: sparse.csr_matrix,
              labels_t: sparse.csr_matrix, labels_c: sparse.csr_matrix) -> np.ndarray:
    """1 where a candidate gives one of the tender's labels with another number ('fase 3'
    against 'fase 4'): the labels the two share outnumber their labelled numbers shared;
    else 0; NaN where the tender has no labelled number."""
    shared_labels = (labels_t @ labels_c.T).toarray()
    shared_numbers = (numbers_t @ numbers_c.T).toarray()
    out = (shared_labels > shared_numbers).astype(float)
    out[np.diff(labels_t.indptr) == 0, :] = np.nan
    return out


def word_shares(tenders: list[str], candidates: list[str], numbers: bool = False,
                counts: np.ndarray | None = None) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Of normalised texts: (each tender's distinct words weighted by idf^2 and summing to 1;
    each candidate's as 0/1), whose product is the share of a tender's word weight a
    candidate's title holds; each candidate counted ``counts`` times in the frequencies.
    ``numbers``: the numbers only (:func:`number_terms`), weighted alike."""
    def words(text: str) -> list[str]:
        ws = text.split()
        return list(set(number_terms(ws) if numbers else ws))

    vocab: dict[str, int] = {}
    t = _matrix([words(x) for x in tenders], vocab)
    c = _matrix([words(x) for x in candidates], vocab)
    t.resize(t.shape[0], len(vocab))
    if not numbers:
        both = np.r_[np.ones(t.shape[0]), np.ones(c.shape[0]) if counts is None else counts]
        t = t @ sparse.diags(_idf(sparse.vstack([t, c]).tocsr(), both) ** 2)
    return _rows_to_one(t, 1), c


def _product(a: sparse.csr_matrix, b: sparse.csr_matrix, empty_b: bool = True) -> np.ndarray:
    """Rows of ``a`` times rows of ``b``, dense; NaN for an empty row of ``a`` (and of ``b``
    where ``empty_b``: a candidate that says nothing)."""
    out = (a @ b.T).toarray()
    out[np.diff(a.indptr) == 0, :] = np.nan
    if empty_b:
        out[:, np.diff(b.indptr) == 0] = np.nan
    return out


def significant(code: str) -> str:
    """A CPV code's significant digits: its 8 digits without trailing zeros, at least the
    division ('39141000-2' -> '39141', '39' -> '39'; '' for none)."""
    d = cpv_digits(code)
    return d.rstrip("0").ljust(2, "0") if len(d) >= 2 else ""


def cpv_similarity(a: list[str], b: list[str]) -> np.ndarray:
    """(len(a), len(b)) CPV similarities (see the module's text); NaN where a code is
    missing. Vectorised over ``b``, the candidates."""
    sb = [significant(x) for x in b]
    out = np.full((len(a), len(b)), np.nan)
    has_b = np.array([bool(y) for y in sb], dtype=bool)
    lens_b = np.array([len(y) for y in sb], dtype=int)
    digits_b = np.array([[int(c) for c in y.ljust(8, "0")] for y in sb],
                        dtype=np.int8).reshape(len(sb), 8)
    for i, x in enumerate(significant(y) for y in a):
        if not x:
            continue
        n = np.minimum(len(x), lens_b)
        same = digits_b == np.array([int(c) for c in x.ljust(8, "0")], dtype=np.int8)
        shared = np.minimum(np.cumprod(same, axis=1).sum(axis=1), n)  # digits from the start
        within = np.where(n > 2, 0.5 + 0.5 * (shared - 2) / np.maximum(n - 2, 1), 1.0)
        out[i] = np.where(has_b, np.where(shared >= 2, within, 0.0), np.nan)
    return out


def _days(x: Iterable[str]) -> np.ndarray:
    """ISO dates as days since 2000-01-01 (NaN for '')."""
    d = pd.to_datetime(pd.Series(list(x), dtype=object).replace("", None), format="%Y-%m-%d")
    return (d - pd.Timestamp("2000-01-01")).dt.days.to_numpy(float)


def _log_values(x: Iterable) -> np.ndarray:
    """ln of values [EUR] (NaN where none)."""
    v = pd.to_numeric(pd.Series(list(x), dtype=object), errors="coerce").to_numpy(float)
    return np.log(np.where(v > 0, v, np.nan))


def evidence(tenders: pd.DataFrame, candidates: pd.DataFrame
             ) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
    """Each kind of evidence (:data:`EVIDENCE`; NaN: a side lacks it) between every tender and
    :data:`CHUNK` candidates at a time, a chunk ending where an ocid does: (the chunk's first
    candidate, {kind: (tenders, chunk) array}).

    ``tenders``: description, buyer, cpv, expected_date (ISO), value_eur [EUR];
    ``candidates``: ocid, title, buyer, cpv, published (ISO), value_eur [EUR], an ocid's rows
    together; missing fields empty or NaN."""
    n = len(tenders)
    desc, names = normalised(tenders["description"]), normalised(tenders["buyer"])
    # titles and buyers repeat: each distinct one is compared once, counted as often as it is
    titles, t_at, t_counts = distinct(normalised(candidates["title"]))
    buyers, b_at, b_counts = distinct(normalised(candidates["buyer"]))
    text = tfidf([*desc, *titles], np.r_[np.ones(n), t_counts])
    text_t, text_c = text[:n], text[n:]
    name = tfidf([*names, *buyers], np.r_[np.ones(n), b_counts])
    name_t, name_c = name[:n], name[n:]
    words_t, words_c = word_shares(desc, titles, counts=t_counts)
    nums_t, nums_c = word_shares(desc, titles, numbers=True)
    marks = labelled(desc, titles)
    names_t, names_c = word_shares(names, buyers, counts=b_counts)
    t_day, c_day = _days(tenders["expected_date"]), _days(candidates["published"])
    t_value, c_value = _log_values(tenders["value_eur"]), _log_values(candidates["value_eur"])
    codes, c_at = np.unique(candidates["cpv"].to_numpy(str), return_inverse=True)
    cpv = cpv_similarity(list(tenders["cpv"]), list(codes))
    for lo, hi in chunks(candidates["ocid"]):
        t, b = t_at[lo:hi], b_at[lo:hi]
        yield lo, {
            "title": _product(text_t, text_c[t]),
            "words": _product(words_t, words_c[t]),
            "numbers": _product(nums_t, nums_c[t], empty_b=False),
            "conflict": conflicts(marks[0], marks[1][t], marks[2], marks[3][t]),
            "buyer": _product(name_t, name_c[b]),
            "buyer_words": _product(names_t, names_c[b]),
            "cpv": cpv[:, c_at[lo:hi]],
            "days": np.abs(t_day[:, None] - c_day[None, lo:hi]),
            "value": np.abs(t_value[:, None] - c_value[None, lo:hi])}


def chunks(ocids: pd.Series) -> Iterator[tuple[int, int]]:
    """(first, end) row ranges of :data:`CHUNK` rows or a few more, each ending where an
    ocid's rows do."""
    x = ocids.to_numpy()
    ends = np.r_[np.flatnonzero(x[1:] != x[:-1]) + 1, len(x)]
    lo = 0
    while lo < len(x):
        hi = int(ends[min(np.searchsorted(ends, lo + CHUNK), len(ends) - 1)])
        yield lo, hi
        lo = hi


def levels(ev: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each kind's level (:data:`LEVELS`) of each pair; -1 where the evidence is missing."""
    return {k: np.where(np.isnan(x), -1, np.digitize(np.nan_to_num(x), LEVELS[k]))
            .astype(np.int8) for k, x in ev.items()}


def log_odds(lv: dict[str, np.ndarray], weights: dict[str, tuple] = WEIGHTS) -> np.ndarray:
    """Each pair's log-odds ``z``: the sum of its levels' weights (a missing level adds 0)."""
    z = np.zeros(next(iter(lv.values())).shape)
    for k, x in lv.items():
        w = np.r_[np.asarray(weights[k], float), 0.0]  # index -1: missing
        z += w[x]
    return z


def score(tenders: pd.DataFrame, candidates: pd.DataFrame, keep: int = 3) -> pd.DataFrame:
    """The ``keep`` best candidates of each tender scoring at least :data:`FLOOR`: tender,
    candidate (row positions), score (see the module's text; to :data:`DECIMALS`) and each
    kind of evidence (NaN: a side lacks it), best first per tender (see :func:`evidence` for
    the columns each table needs)."""
    n = len(tenders)
    codes = pd.factorize(candidates["ocid"])[0]
    total = np.full(n, np.exp(NONE))
    parts = []
    for lo, ev in evidence(tenders, candidates):
        z = np.clip(log_odds(levels(ev)), -50.0, 50.0)
        c = codes[lo:lo + z.shape[1]] - codes[lo]
        starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
        total += np.exp(np.maximum.reduceat(z, starts, axis=1)).sum(axis=1)
        k = min(keep, z.shape[1])
        best = np.argsort(-z, axis=1, kind="stable")[:, :k]
        rows, cols = np.repeat(np.arange(n), k), best.ravel()
        parts.append(pd.DataFrame({"tender": rows, "candidate": cols + lo, "z": z[rows, cols],
                                   **{f: ev[f][rows, cols] for f in EVIDENCE}}))
    if not parts:
        return pd.DataFrame(columns=["tender", "candidate", "score", *EVIDENCE])
    out = pd.concat(parts, ignore_index=True)
    out.insert(2, "score", np.round(np.exp(out.pop("z")) / total[out["tender"]], DECIMALS))
    out = out[out["score"] >= FLOOR].sort_values(["tender", "score", "candidate"],
                                                 ascending=[True, False, True], kind="stable")
    return out.groupby("tender", sort=False).head(keep).reset_index(drop=True)


def assign(pairs: pd.DataFrame, units: pd.Series, threshold: float = THRESHOLD
           ) -> pd.DataFrame:
    """``pairs`` (:func:`score`) with each tender's ``rank`` (1: its best) and ``proposed``:
    candidates given out one to one, best score first, each tender and each unit
    (``units``: a candidate's ocid and lot, by its position) once; a given pair is proposed
    where its score reaches ``threshold``."""
    out = pairs.copy()
    out["rank"] = out.groupby("tender").cumcount() + 1
    out["proposed"] = False
    taken_t, taken_u = set(), set()
    order = out.sort_values(["score", "tender", "candidate"], ascending=[False, True, True],
                            kind="stable")
    for i, t, c, s in zip(order.index, order["tender"], order["candidate"], order["score"],
                          strict=True):
        if s < threshold:
            break
        u = units.iloc[c]
        if t in taken_t or u in taken_u:
            continue
        taken_t.add(t)
        taken_u.add(u)
        out.loc[i, "proposed"] = True
    return out
