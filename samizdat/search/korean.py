"""Korean words as character bigrams, so a noun is found inside compounds and with its particles.

Korean writes particles and endings onto the word (집회를, 집회에서) and many nouns as compounds
(촛불집회, 반전시위를). Splitting every Hangul run into overlapping pairs of syllables makes 집회 a
term of all of them: 촛불집회를 → 촛불, 불집, 집회, 회를. A query run is split the same way and all its
pairs must be present. The first syllable of each run is a term too, so a one-syllable query (꿈)
finds the words that start with it. docs/search.md compares this with a morphological analyser.
"""

from __future__ import annotations

# Particles and endings a reader may type after a noun: dropped from the end of a query run when a noun
# of two syllables or more stays, so 집회를 also finds 집회에서. The index keeps every pair.
PARTICLES = ("에서는", "에서", "에게", "으로", "부터", "까지", "처럼", "보다", "하고", "이랑", "라고",
             "를", "을", "는", "은", "이", "가", "에", "의", "도", "와", "과", "로", "만", "랑")


def index_terms(run: str) -> list[str]:
    """The terms a Hangul run gives the index: its first syllable, then every pair of syllables."""
    return [run[0], *bigrams(run)]


def query_terms(run: str) -> list[str]:
    """The terms a query run needs, all of them: one syllable alone, else its pairs after the particle."""
    if len(run) == 1:
        return [run]
    return bigrams(strip_particle(run))


# The plural marker comes between the noun and its particle (활동가들이, 벨라루스인들): dropped after the
# particle, when a noun of two syllables or more stays. The index keeps every pair, so 활동가 still finds
# 활동가들이 and 활동가들 finds 활동가.
PLURAL = "들"


def strip_particle(run: str) -> str:
    for particle in PARTICLES:
        if run.endswith(particle) and len(run) - len(particle) >= 2:
            run = run[: -len(particle)]
            break
    if run.endswith(PLURAL) and len(run) - len(PLURAL) >= 2:
        run = run[: -len(PLURAL)]
    return run


def bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]
