"""The words scan recognises in Kazakh, Russian and English (patterns, not output labels).

Output labels and messages live in ``repro/catalog.toml``; this module holds only what a
manuscript may print: statistic symbols, keywords, the nouns that count raters and items.
Every pattern is compiled case-insensitively with Unicode word boundaries.
"""

from __future__ import annotations

import re

FLAGS = re.IGNORECASE | re.UNICODE

# a number as scan reads it inside a statement (see repro.numerals.NUMBER_IN_TEXT)
NUM = r"(?P<num>[-\u2212]?(?:0[.,] (?=\d)\d+|\d+[.,]\d+|[.,]\d+|\d+)\**)(?![\w])"
CMP = r"(?P<cmp><=|>=|=<|=>|[<>=≤≥≈])"

# words that may stand between a symbol and its value ("p ең кіші мәні 0,095", "W was .43")
CONNECTOR = (r"(?:ең|кіші|төменгі|жоғары|минималды|мәні|мәнi|мәндері|балл|value|values|of|was|were|is|equal(?:led|s)?|"
             r"to|equals|minimum|minimal|lowest|smallest|the|равн\w*|составил\w*|составля\w*|значени\w*|"
             r"минимальн\w*|наименьш\w*|было|был|была|оказал\w*|тең|болды|құрады|статистика\w*|"
             r"коэффициент\w*|approximately|about|около|шамамен|at|на|уровне|деңгейі|obtained|получен\w*)")
GAP = rf"(?:[\s,:]+{CONNECTOR}){{0,4}}[\s,:]*"

P_SYMBOL = r"(?<![\w\-\u2019'])[pрPР](?:\s*[-\u2010\u2011]\s*(?:value|балл\w*|мән\w*|значени\w*|уров\w*))?(?![\w])"
W_SYMBOL = (r"(?:(?:Kendall(?:'s|\u2019s|s)?|Кендалл\w*)\s+(?:coefficient\s+of\s+concordance\s+)?)?"
            r"(?<![\w\-])W(?![\w\-\u00b2])")
W_PHRASE = (r"(?:coefficient\s+of\s+concordance|concordance\s+coefficient|коэффициент\w*\s+конкордаци\w*|"
            r"конкордаци\w*\s+коэффициент\w*|келісім\s+коэффициент\w*|конкордация\s+коэффициент\w*)"
            r"(?:\s+(?:Kendall\w*|Кендалл\w*|\(W\)))?")
CHI_SYMBOL = (r"(?:χ|Χ|\u03c7)\s*\^?\s*(?:[²2]|\(2\))?|chi[\s\-]*squared?|chi\s*\^?\s*[²2]|хи[\s\-]*квадрат\w*|"
              r"(?<![\w])x\s*\^?\s*²")
CHI_DF = r"\s*\(\s*(?:df\s*=\s*)?(?P<df>\d+)\s*(?:[,;]\s*[Nn]\s*=\s*(?P<n>\d+)\s*)?\)"
DF_WORD = (r"(?:(?<![\w])df|(?<![\w])d\.f\.|ст\.\s*св\.|степен\w*\s+свобод\w*|еркіндік\s+дәреже\w*(?:\s+саны)?|"
           r"degrees?\s+of\s+freedom|с\.\s*с\.)")

RATER_NOUN = (r"(?:experts?|raters?|judges?|respondents?|participants?|panell?ists?|assessors?|evaluators?|"
              r"эксперт\w*|респондент\w*|оценщик\w*|судей|судьи|участник\w*|сарапшы\w*|маман\w*|қатысушы\w*|"
              r"бағалаушы\w*)")
ITEM_NOUN = (r"(?:items?|objects?|criteria|criterion|alternatives?|components?|variables?|indicators?|factors?|"
             r"statements?|объект\w*|критери\w*|альтернатив\w*|показател\w*|фактор\w*|компонент\w*|переменн\w*|"
             r"утвержден\w*|айнымалы\w*|көрсеткіш\w*|нысан\w*|критерий\w*)")
COMPARISON_NOUN = r"(?:comparisons?|сравнени\w*|салыстыру\w*|pairwise|жұп\w*)"
KENDALL_WORD = r"(?:kendall|кендалл|friedman|фридман|конкордац|concordance|келісім\s+коэффициент|(?<![\w\-])W(?![\w]))"
OTHER_TEST = (r"(?:(?<![\w])(?:t|F|r|z|U|H|R²|R2|rho|ρ|β|OR|d)\s*(?:\([\d\s.,]+\))?\s*[=<>]\s*[-\u2212]?[.,\d])|"
              r"(?:correlat\w*|корреляц\w*|t-test|t-тест|student|стьюдент|regression|регресс\w*|anova|"
              r"spearman|спирмен|pearson|пирсон|mann|манн)")
HYPOTHETICAL = r"(?:\bif\b|\bесли\b|егер|болса|when\b|в\s+случае)"

# "mean ranks 1.25, 2.10 and 2.60" / «средние ранги 1,25; 2,10; 2,60» / «орташа рангтер 1,25; 2,10; 2,60»
MEAN_RANKS = (r"(?:mean\s+ranks?|average\s+ranks?|средн\w*\s+ранг\w*|орташа\s+ранг\w*)"
              r"(?P<gap>[^\d\n]{0,24})(?P<list>\d+[.,]\d+(?:\s*(?:[,;]|and|и|және|жəне)\s*\d+[.,]\d+){1,14})")
CAPTION = r"^\s*(?:(?:Кесте|Таблица|Table|Tab\.)\s*(?P<n1>\d+)|(?P<n2>\d+)\s*[-\u2010]?\s*(?:кесте|таблица))\b"
NOTE = r"^\s*(?:Ескертпе|Примечание|Note|Notes|Источник|Source)\b"
SHARE_WORD = r"(?:үлес\w*|доля|доли|долей|share|shares|proportion\w*|percent\w*|пайыз\w*|процент\w*)"
WP_WORD = r"(?:(?<![\w])W(?![\w])|kendall|кендалл|конкордац|concordance|friedman|фридман)"


def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, FLAGS)


GAP1 = rf"(?:[\s,:]+{CONNECTOR}){{1,4}}[\s,:]*"  # at least one connecting word
P_SUFFIXED = r"(?<![\w\-\u2019'])[pрPР]\s*[-\u2010\u2011]\s*(?:value|балл\w*|мән\w*|значени\w*|уров\w*)(?![\w])"
# a p is a statement with a comparator ("p < 0,05"), with a connecting word ("p ең кіші мәні 0,095") or
# written out ("p-балл 0,108"); a bare "p 1" (a header over a page number) is not
P_STATEMENTS = (rx(rf"{P_SYMBOL}\s*{CMP}\s*{NUM}"), rx(rf"{P_SYMBOL}{GAP1}{NUM}"), rx(rf"{P_SUFFIXED}{GAP}{NUM}"))
# W likewise; the written-out coefficient may stand right before its value ("келісім коэффициенті 0,43")
W_STATEMENTS = (rx(rf"(?:{W_SYMBOL}|{W_PHRASE})\s*{CMP}\s*{NUM}"), rx(rf"{W_SYMBOL}{GAP1}{NUM}"),
                rx(rf"{W_PHRASE}{GAP}{NUM}"))
CHI_STATEMENT = rx(rf"(?:{CHI_SYMBOL})(?:{CHI_DF})?(?:\s*{CMP}\s*|{GAP}){NUM}")
DF_STATEMENT = rx(rf"{DF_WORD}\s*(?:=|:|равн\w*|was|тең)?\s*(?P<num>\d+)(?![\w.,]\d)")
M_EQUALS = rx(r"(?<![\w])(?P<sym>[nNmM])\s*=\s*(?P<num>\d+)(?![\w.,]\d)(?P<tail>(?:\s+\w+){0,2})")
K_EQUALS = rx(r"(?<![\w])[kK]\s*=\s*(?P<num>\d+)(?![\w.,]\d)")
from repro.numerals import WORDS as _WORDS

_NUMBER_WORD = "|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True))
COUNT_BEFORE_NOUN = rx(r"(?<![\w.,])(?:(?P<digits>\d+)(?:[-\u2010]?(?:х|ти|ми|и|ух|ёх|ех))?(?P<between>(?:\s+[^\W\d]+){0,3}?)|"
                       r"(?P<word>" + _NUMBER_WORD + r")(?P<between_w>(?:\s+[^\W\d]+)?))\s+"
                       r"(?P<noun>" + RATER_NOUN + "|" + ITEM_NOUN + "|" + COMPARISON_NOUN + r")(?![\w])")
RATER_RX = rx(RATER_NOUN + r"$")
ITEM_RX = rx(ITEM_NOUN + r"$")
COMPARISON_RX = rx(COMPARISON_NOUN + r"$")
KENDALL_RX = rx(KENDALL_WORD)
OTHER_TEST_RX = rx(OTHER_TEST)
HYPOTHETICAL_RX = rx(HYPOTHETICAL)
CAPTION_RX = rx(CAPTION)
NOTE_RX = rx(NOTE)
SHARE_RX = rx(SHARE_WORD)
WP_RX = rx(WP_WORD)
N_IN_TABLE = rx(r"(?<![\w])[Nn]\s*=\s*(?P<num>\d+)")
MEAN_RANKS_RX = rx(MEAN_RANKS)
MIN_WORD = rx(r"(?:ең\s+кіші|ең\s+төменгі|минималды|минимальн|наименьш|minimum|minimal|lowest|smallest)")
# a genitive between a count and its noun: the count may belong to the genitive noun
GENITIVE = rx(r"(?:ның|нің|дың|дің|тың|тің|ов|ев|ей|of)$")
