"""Alarm rules: word patterns combined with whom a question is about. Pure: no database, no
clock (callers pass `today`), so the admin form, the services and the corpus test share it.

A rule's words are written by a jeugdarts in the admin, one pattern per line:
- words match whole words, case and accents ignored: `koorts` does not match `koortsig`;
- `*` at the end of a word matches every word that starts with it: `koorts*`, `38,*`;
- `...` between words allows up to five other words: `drinkt ... niet` matches
  "drinkt sinds gisteren niet";
- numbers with a comma or a dot are the same number: `38,5` matches "38.5".
A rule fires when every filled-in word list has a matching line, after the rule's "ignore"
patterns have blanked out their words (so "geen koorts" does not count as "koorts").
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from families.ages import add_months, months_between, pregnancy_week

GAP_WORDS = 5
MIN_PREFIX = 3
# The mother's own body after birth (bleeding, headache) still goes to the verloskundige.
KRAAMTIJD_DAYS = 42
# An expected child whose due date passed this long ago is probably born but not yet updated.
DUE_DATE_GRACE_DAYS = 14

EVERYONE, CHILD, PREGNANCY = "everyone", "child", "pregnancy"

_TEXT_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+")
_PATTERN_TOKEN = re.compile(r"\.\.\.|…|\d+(?:[.,]\d*)?\*?|[^\W\d_]+\*?|\*")
_BLANK = ""  # a blanked-out word: matches nothing

_NUMBER_WORDS = {
    "een": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "anderhalf": 1.5,
    "anderhalve": 1.5,
}
_UNITS = {
    "dag": "days",
    "dagen": "days",
    "dagje": "days",
    "dagjes": "days",
    "week": "weeks",
    "weken": "weeks",
    "weekjes": "weeks",
    "maand": "months",
    "maanden": "months",
    "maandjes": "months",
    "jaar": "years",
    "jaren": "years",
}
# Ages in the other parent languages (normalised in `_normalised_words` below: no accents, no
# hamza forms). An age needs a word that makes it one (`_AGE_BEFORE`, a child word before the
# number, `_AGE_AFTER`), or is a word that is an age by itself (`_AGE_WORD_PREFIXES`); "for 2
# weeks" and "od 2 tygodni" are durations.
_OTHER_UNITS = {
    "days": (
        *("day", "days", "gun", "dzien", "dni", "день", "дні", "днів", "дня"),
        *("يوم", "أيام", "يوما"),
    ),
    "weeks": (
        *("week", "weeks", "hafta", "tydzien", "tygodnie", "tygodni", "tygodnia"),
        *("тиждень", "тижні", "тижнів", "тижня", "أسبوع", "أسابيع", "أسبوعا"),
    ),
    "months": (
        *("month", "months", "ay", "miesiac", "miesiace", "miesiecy", "miesiaca"),
        *("місяць", "місяці", "місяців", "місяця", "شهر", "أشهر", "شهور", "شهرا"),
    ),
    "years": (
        *("year", "years", "yas", "rok", "lata", "lat", "roku", "рік", "роки", "років", "року"),
        *("سنة", "سنوات", "سنين", "عام", "أعوام", "عاما"),
    ),
}
_AGE_WORDS = {
    "days": ("gunluk", "dniow", "денн"),
    "weeks": ("haftalik", "tygodniow", "тижнев"),
    "months": ("aylik", "miesieczn", "місячн"),
    "years": ("yasinda", "letni", "letn", "річн"),
}
# Right before the number: "van" (nl), "aged" (en), "ma"/"wieku" (pl: "ma 5 tygodni", "w wieku"),
# "йому"/"їй"/"віці" (uk), "عمره" (ar: his age). Right after the unit: "oud", "old".
_AGE_BEFORE_WORDS = (
    *("van", "aged", "turned", "ma", "wieku", "skonczyl", "skonczyla"),
    *("йому", "їй", "віці", "виповнилось", "синові", "сину", "доньці", "дочці", "дитині"),
    *("малюку", "малюкові", "немовляті", "synkowi", "coreczce", "dziecku"),
    *("عمره", "عمرها", "عمر", "بعمر", "العمر", "وعمره", "وعمرها", "عمرة"),
)
_AGE_AFTER = {"oud", "oude", "old"}
# "2 weken geleden", "2 weeks ago", "2 hafta önce", "2 tygodnie temu", "2 тижні тому".
_AGE_NOT_AFTER_WORDS = ("geleden", "ago", "önce", "sonra", "temu", "тому")
_UNITS_WITHOUT_NUMBER_WORDS = {
    ("يومين", "days", 2),
    ("أسبوعين", "weeks", 2),
    ("شهرين", "months", 2),
    ("سنتين", "years", 2),
    ("عامين", "years", 2),
    ("يوم", "days", 1),
    ("أسبوع", "weeks", 1),
    ("شهر", "months", 1),
    ("سنة", "years", 1),
}
_OTHER_NUMBER_WORDS = {
    **{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6},
    **{"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12},
    **{"bir": 1, "iki": 2, "üç": 3, "dört": 4, "beş": 5, "altı": 6, "yedi": 7, "sekiz": 8},
    **{"jeden": 1, "jedna": 1, "dwa": 2, "dwie": 2, "trzy": 3, "cztery": 4, "pięć": 5},
    **{"один": 1, "одна": 1, "два": 2, "дві": 2, "три": 3, "чотири": 4},
    **{"ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6},
    **{"سبعة": 7, "ثمانية": 8, "تسعة": 9, "عشرة": 10},
}
_CHILD_WORDS = {
    "baby",
    "babys",
    "babytje",
    "kind",
    "kindje",
    "kinderen",
    "zoon",
    "zoontje",
    "dochter",
    "dochtertje",
    "jongen",
    "meisje",
    "peuter",
    "pasgeborene",
}
# The same in the other parent languages (normalised: no accents, Arabic without hamza forms),
# so "my baby has a fever" typed in Arabic under "about myself" still counts the family's baby.
_CHILD_WORDS |= {
    *("baby", "babies", "child", "kid", "son", "daughter", "newborn", "toddler", "infant"),
    *("طفل", "طفلي", "طفلة", "طفلتي", "الطفل", "الطفلة", "ابني", "ابنتي", "بنتي", "ولدي"),
    *("رضيع", "رضيعي", "الرضيع", "مولود", "مولودي", "المولود", "بيبي"),
    *("bebek", "bebegim", "bebegimin", "cocuk", "cocugum", "cocugumun", "oglum", "kizim"),
    *("yenidogan", "dziecko", "dziecka", "dziecku", "syn", "synek", "corka", "coreczka"),
    *("niemowle", "noworodek", "maluch", "дитина", "дитини", "дитину", "дитині", "син"),
    *("сина", "донька", "доньки", "доньку", "малюк", "малюка", "немовля", "новонароджении"),
}
# Words that mean "newborn" (an age of zero days) in the parent languages.
_NEWBORN_PREFIXES = ("pasgebor", "newborn", "noworod", "yenidog", "новонародж", "مولود", "المولود")


# Letters that do not lose their mark in NFKD but that people type without it (Turkish ı,
# Polish ł), and Arabic-Indic digits and decimal separator, so "٣٩٫٥" is the number 39.5.
_FOLD = str.maketrans({"ı": "i", "ł": "l", "٫": ".", "،": ","})


def normalise(text: str) -> str:
    """Lower case without accents (Arabic vowel marks and hamza forms too); any script's digits
    as ASCII; a degree sign reads as the word 'graden'."""
    text = text.replace("°", " graden ").replace("℃", " graden ")
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(_FOLD)
    return "".join(
        str(unicodedata.digit(ch, ch)) if ch.isdigit() and not ch.isascii() else ch
        for ch in decomposed
        if not unicodedata.combining(ch)
    )


def _normalised_words(words) -> set[str]:
    return {normalise(word) for word in words}


_UNITS |= {normalise(word): unit for unit, words in _OTHER_UNITS.items() for word in words}
_AGE_WORD_PREFIXES = tuple(
    (normalise(prefix), unit) for unit, prefixes in _AGE_WORDS.items() for prefix in prefixes
)
_AGE_BEFORE = _normalised_words(_AGE_BEFORE_WORDS)
_AGE_NOT_AFTER = _normalised_words(_AGE_NOT_AFTER_WORDS)
_UNITS_WITHOUT_NUMBER = {
    normalise(word): (number, unit) for word, unit, number in _UNITS_WITHOUT_NUMBER_WORDS
}
_NUMBER_WORDS |= {normalise(word): number for word, number in _OTHER_NUMBER_WORDS.items()}
_CHILD_WORDS = _normalised_words(_CHILD_WORDS)


def tokenize(text: str) -> list[str]:
    return [token.replace(",", ".") for token in _TEXT_TOKEN.findall(normalise(text))]


# --- Patterns ----------------------------------------------------------------------------------


class PatternError(ValueError):
    """A line that is not a valid pattern; the message is shown to the jeugdarts."""


@dataclass(frozen=True)
class Word:
    text: str
    prefix: bool

    def matches(self, token: str) -> bool:
        if not token:
            return False
        return token.startswith(self.text) if self.prefix else token == self.text


GAP = None  # a `...` element


@dataclass(frozen=True)
class Pattern:
    source: str
    elements: tuple[Word | None, ...]

    def spans(self, tokens: Sequence[str]) -> list[tuple[int, int]]:
        """(start, end) of every place the pattern matches, leftmost first."""
        found = []
        for start in range(len(tokens)):
            end = self._match(tokens, start, 0)
            if end is not None:
                found.append((start, end))
        return found

    def _match(self, tokens: Sequence[str], at: int, element: int) -> int | None:
        if element == len(self.elements):
            return at
        current = self.elements[element]
        if current is GAP:
            for skip in range(GAP_WORDS + 1):
                if at + skip > len(tokens):
                    break
                end = self._match(tokens, at + skip, element + 1)
                if end is not None:
                    return end
            return None
        if at < len(tokens) and current.matches(tokens[at]):
            return self._match(tokens, at + 1, element + 1)
        return None


def compile_pattern(line: str) -> Pattern:
    """One line of a word list; PatternError with a Dutch-ready reason when it is not valid."""
    elements: list[Word | None] = []
    for raw in _PATTERN_TOKEN.findall(normalise(line)):
        if raw in ("...", "…"):
            elements.append(GAP)
            continue
        prefix = raw.endswith("*")
        text = raw.rstrip("*").replace(",", ".")
        if prefix and len(text) < MIN_PREFIX and not (text.isdigit() and len(text) >= 2):
            raise PatternError("prefix")
        elements.append(Word(text=text, prefix=prefix))
    if not any(e is not GAP for e in elements):
        raise PatternError("empty")
    if elements[0] is GAP or elements[-1] is GAP:
        raise PatternError("gap_at_edge")
    return Pattern(source=line.strip(), elements=tuple(elements))


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def compile_lines(text: str) -> tuple[Pattern, ...]:
    return tuple(compile_pattern(line) for line in lines(text))


def mask(tokens: Sequence[str], patterns: Iterable[Pattern]) -> list[str]:
    """`tokens` with every word covered by one of `patterns` blanked out."""
    masked = list(tokens)
    for pattern in patterns:
        for start, end in pattern.spans(tokens):
            masked[start:end] = [_BLANK] * (end - start)
    return masked


# --- Who the question is about -----------------------------------------------------------------


@dataclass(frozen=True)
class AlarmContext:
    """What the form knows: birth dates of the children the question may be about, and whether
    it may be about a pregnancy (or the mother's first weeks after birth)."""

    today: date
    birth_dates: frozenset[date] = field(default_factory=frozenset)
    pregnancy: bool = False


def ages_in_text(tokens: Sequence[str], today: date) -> set[date]:
    """Birth dates from ages the parent wrote, in any parent language: 'baby van 5 weken',
    'twee maanden oud', 'pasgeboren', '5 weeks old', '5 haftalık', 'ma 5 tygodni',
    'йому 5 тижнів', 'عمره ٥ أسابيع'. Not '33 weken zwanger' (a pregnancy) and not 'sinds 2
    weken', 'for 2 weeks', '2 haftadır', 'od 2 tygodni', 'منذ أسبوعين' (durations)."""
    births = set()
    for i, token in enumerate(tokens):
        if token.startswith(_NEWBORN_PREFIXES):
            births.add(today)
            continue
        found = _age_at(tokens, i)
        if found is not None:
            births.add(_born(today, *found))
    return births


def _age_at(tokens: Sequence[str], i: int) -> tuple[float, str] | None:
    """(number, unit) when tokens[i] is the unit of an age, else None."""
    token = tokens[i]
    after = tokens[i + 1] if i + 1 < len(tokens) else ""
    if after.startswith("zwanger") or after in _AGE_NOT_AFTER:
        return None
    number = _number(tokens[i - 1]) if i else None
    before = tokens[i - 2] if i >= 2 else ""
    if number is None:
        # Arabic says "two weeks" in one word, and "a month" without a number: only right
        # after "عمره" (his age).
        marker = tokens[i - 1] if i else ""
        if marker in _AGE_BEFORE and token in _UNITS_WITHOUT_NUMBER:
            return _UNITS_WITHOUT_NUMBER[token]
        return None
    unit = _UNITS.get(token)
    if unit is not None:
        if before in _AGE_BEFORE or before in _CHILD_WORDS or after in _AGE_AFTER:
            return number, unit
        return None
    # Words that are an age by themselves: "5 haftalık", "5-tygodniowy", "5-тижневий".
    for prefix, unit in _AGE_WORD_PREFIXES:
        if token.startswith(prefix):
            return number, unit
    return None


def _number(token: str) -> float | None:
    if token in _NUMBER_WORDS:
        return _NUMBER_WORDS[token]
    try:
        return float(token)
    except ValueError:
        return None


def _born(today: date, number: float, unit: str) -> date:
    if unit == "days":
        return today - timedelta(days=int(number))
    if unit == "weeks":
        return today - timedelta(days=round(number * 7))
    months = number * (12 if unit == "years" else 1)
    whole = int(months)
    return add_months(today, -whole) - timedelta(days=round((months - whole) * 30))


def build_context(
    *,
    tokens: Sequence[str],
    today: date,
    child_birth: date | None = None,
    child_due: date | None = None,
    about_parent: bool = False,
    family: Iterable[tuple[date | None, date | None]] = (),
) -> AlarmContext:
    """The context of one question. `child_birth`/`child_due`: the child it is about (born or
    expected); `about_parent`: "over mijzelf als ouder"; `family`: (birth, due) of every child.

    Safety first: ages written in the text always count, and a question about the parent that
    mentions a child ("mijn baby heeft koorts") counts every born child of the family."""
    births = set(ages_in_text(tokens, today))
    pregnancy = any(token.startswith("zwanger") for token in tokens)
    if child_birth is not None:
        births.add(child_birth)
    if child_due is not None:
        pregnancy = True
    if about_parent:
        mentions_child = any(token in _CHILD_WORDS for token in tokens)
        for born, due in family:
            if due is not None and due >= today - timedelta(days=DUE_DATE_GRACE_DAYS):
                pregnancy = True
            if born is not None:
                if (today - born).days < KRAAMTIJD_DAYS:
                    pregnancy = True
                if mentions_child:
                    births.add(born)
    return AlarmContext(today=today, birth_dates=frozenset(births), pregnancy=pregnancy)


# --- Rules -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompiledRule:
    key: object  # the AlarmRule's pk (None while editing a new one)
    audience: str
    younger_than_months: int | None
    groups: tuple[tuple[Pattern, ...], ...]
    ignore: tuple[Pattern, ...] = ()

    def applies_to(self, context: AlarmContext) -> bool:
        if self.audience == PREGNANCY:
            return context.pregnancy
        if self.audience == CHILD:
            if self.younger_than_months is None:
                return bool(context.birth_dates)
            return any(
                born <= context.today
                and months_between(born, context.today) < self.younger_than_months
                for born in context.birth_dates
            )
        return True

    def words_match(self, tokens: Sequence[str]) -> bool:
        masked = mask(tokens, self.ignore)
        return all(any(p.spans(masked) for p in group) for group in self.groups if group)

    def matches(self, tokens: Sequence[str], context: AlarmContext) -> bool:
        return self.applies_to(context) and self.words_match(tokens)


def compile_rule(
    *,
    key=None,
    audience: str,
    younger_than_months: int | None,
    word_lists: Sequence[str],
    ignore: str = "",
) -> CompiledRule:
    return CompiledRule(
        key=key,
        audience=audience,
        younger_than_months=younger_than_months,
        groups=tuple(compile_lines(text) for text in word_lists if lines(text)),
        ignore=compile_lines(ignore),
    )


# --- Test sentences ----------------------------------------------------------------------------

_PREFIX = re.compile(r"^\s*\[([^\]]*)\]\s*")
_AGE = re.compile(r"^(\d+)\s+(\w+)$")


class SentenceError(ValueError):
    pass


def sentence_context(sentence: str, *, audience: str, today: date) -> tuple[str, AlarmContext]:
    """A test sentence with an optional context in brackets: `[5 weken] Hij heeft koorts.`,
    `[4 jaar] …`, `[zwanger] …`, `[ouder] …`. Without brackets: a baby of one week for child
    rules, a pregnancy for pregnancy rules, the parent for everyone rules."""
    found = _PREFIX.match(sentence)
    label = found.group(1).strip().lower() if found else ""
    text = sentence[found.end() :] if found else sentence
    tokens = tokenize(text)
    if not label:
        label = {CHILD: "1 week", PREGNANCY: "zwanger"}.get(audience, "ouder")
    if label.startswith("zwanger"):
        return text, build_context(tokens=tokens, today=today, child_due=today + timedelta(days=70))
    if label == "ouder":
        return text, build_context(tokens=tokens, today=today, about_parent=True)
    age = _AGE.match(normalise(label))
    if age is None or age.group(2) not in _UNITS:
        raise SentenceError(label)
    born = _born(today, float(age.group(1)), _UNITS[age.group(2)])
    return text, build_context(tokens=tokens, today=today, child_birth=born)


def describe_context(context: AlarmContext) -> str:
    """For reports: 'kind 5 weken', 'zwanger'."""
    if context.pregnancy:
        return "zwanger"
    if context.birth_dates:
        born = max(context.birth_dates)
        return f"kind {(context.today - born).days} dagen"
    return "ouder"


__all__ = [
    "CHILD",
    "EVERYONE",
    "PREGNANCY",
    "AlarmContext",
    "CompiledRule",
    "PatternError",
    "SentenceError",
    "build_context",
    "compile_pattern",
    "compile_rule",
    "pregnancy_week",
    "sentence_context",
    "tokenize",
]
