"""Back-translation of identifiers that machine translation turned into Japanese.

A Japanese identifier is segmented with UniDic (``ja_article_tools.tokens.tokenize``);
each segment becomes English through the curated glossary
(``data/repair_glossary.tsv``, kanji and katakana words) or, for loanwords, through
UniDic's ``origin`` (アクション → action). The English words are then matched against
the ASCII identifiers already present in the block (MT often translates a name at one
site only): 人間ラベル → ``human_labels`` when ``human_labels`` appears elsewhere.
"""

from __future__ import annotations

import keyword
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .common import IDENT_RE, JA_RE, load_json, load_tsv
from .packages import restore_module_name

_CAMEL_SPLIT = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
# Tokens that carry no meaning in an identifier: particles, auxiliaries, light verbs.
_SKIP_POS = ("助詞", "助動詞", "補助記号")
_SKIP_SURFACES = frozenset({"する", "さ", "し", "れ", "られ", "た", "て", "な", "的", "ます", "です"})


def split_words(ident: str) -> list[str]:
    """``evaluator_predictions`` → ``['evaluator', 'predictions']``; ``StatusCode`` → status, code."""
    words: list[str] = []
    for part in ident.split("_"):
        words.extend(w.lower() for w in _CAMEL_SPLIT.findall(part))
    return words


_SUFFIXES = ("ings", "ing", "ions", "ion", "ures", "ure", "ers", "ors", "er", "or",
             "ies", "ed", "es", "s", "e", "y")


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    w = word.lower()
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)]
    return w


def pluralize(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es" if not word.endswith("s") else word
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _glossary() -> dict[str, list[str]]:
    return load_tsv("repair_glossary.tsv")


@lru_cache(maxsize=4096)
def segment(japanese: str) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    """Split a Japanese word into glossary/loanword segments with English alternatives.

    >>> segment("観測報酬")
    (('観測', ('observation', ...)), ('報酬', ('reward',)))

    Returns None when a meaningful segment has no English rendering.
    """
    from ja_article_tools.tokens import tokenize

    gloss = _glossary()
    toks = tokenize(japanese)
    out: list[tuple[str, tuple[str, ...]]] = []
    i = 0
    while i < len(toks):
        # Longest run of consecutive morphemes that the glossary knows as one word.
        best = None
        for j in range(len(toks), i, -1):
            surf = japanese[toks[i].start : toks[j - 1].end]
            if surf in gloss:
                best = (j, surf, tuple(gloss[surf]))
                break
        if best is not None:
            j, surf, alts = best
            if alts != ("-",):
                out.append((surf, alts))
            i = j
            continue
        t = toks[i]
        i += 1
        if t.surface in _SKIP_SURFACES or (t.pos and t.pos[0] in _SKIP_POS):
            continue
        if t.lemma in gloss:
            alts = tuple(gloss[t.lemma])
            if alts != ("-",):
                out.append((t.surface, alts))
            continue
        if t.origin and t.origin.isascii():
            out.append((t.surface, (t.origin.lower().replace(" ", "_").replace("-", "_"),)))
            continue
        if not JA_RE.search(t.surface):
            out.append((t.surface, (t.surface,)))
            continue
        return None
    return tuple(out) if out else None


@dataclass
class Vocabulary:
    """ASCII identifiers of the block, by role, used to resolve back-translations."""

    names: Counter[str] = field(default_factory=Counter)
    attrs: Counter[str] = field(default_factory=Counter)
    kwargs: Counter[str] = field(default_factory=Counter)
    comment_words: Counter[str] = field(default_factory=Counter)
    assigned: set[str] = field(default_factory=set)  # names the block binds itself

    def all_idents(self) -> Iterable[tuple[str, str]]:
        for role, table in (("name", self.names), ("attr", self.attrs), ("kwarg", self.kwargs),
                            ("comment", self.comment_words)):
            for ident in table:
                yield role, ident


def collect_vocabulary(masked_code: str, comments: Iterable[str] = ()) -> Vocabulary:
    voc = Vocabulary()
    # Loop targets and parameter lists are bounded (200 / 500 characters): unbounded, a
    # long line of ``def f(`` or ``for x`` made every one scan to the line end.
    for m in re.finditer(r"(?m)^\s*([\w, ]+?)\s*=(?!=)|\bfor\s+([\w, ]{1,200}?)\s+in\b|\bas\s+(\w+)"
                         r"|\bdef\s+\w+\(([^)\n]{0,500})\)",
                         masked_code):
        for group in m.groups():
            if group:
                voc.assigned.update(re.findall(r"(?<![\w.])([A-Za-z_]\w*)(?![\w.(])", re.sub(r"=.*?(,|$)", r"\1", group)))
    # Module paths of import lines are not identifiers of the snippet.
    masked_code = re.sub(r"(?m)^(\s*from\s+)[\w.]+", r"\1", masked_code)
    masked_code = re.sub(r"(?m)^(\s*import\s+)[\w.]+", r"\1", masked_code)
    depth = 0
    for m in re.finditer(r"[()\[\]{}]|(\.?)\s*([A-Za-z_][A-Za-z0-9_]*)(\s*=(?!=))?", masked_code):
        tok = m.group(0)
        if tok in "([{":
            depth += 1
            continue
        if tok in ")]}":
            depth = max(0, depth - 1)
            continue
        ident = m.group(2)
        if keyword.iskeyword(ident):
            continue
        if m.group(1):
            voc.attrs[ident] += 1
        elif m.group(3) and depth > 0:
            voc.kwargs[ident] += 1
        else:
            voc.names[ident] += 1
    for text in comments:
        for m in re.finditer(r"[A-Za-z_][A-Za-z0-9_]*", text):
            if "_" in m.group() or re.search(r"[a-z][A-Z]", m.group()) or m.group()[0].isupper():
                voc.comment_words[m.group()] += 1
    return voc


@dataclass
class Usage:
    """How one Japanese identifier is used in the block."""

    roles: Counter[str] = field(default_factory=Counter)
    plural: bool = False
    capwords: bool = False  # e.g. ``client = クライアント()``: a class
    imported: bool = False
    assigned_to: str | None = None  # ``client = クライアント()``: the ASCII target name
    forbidden: set[str] = field(default_factory=set)  # ``for 項目 in items``: never ``items``


class Translator:
    """Decides one English name per Japanese identifier for a block."""

    def __init__(self, vocab: Vocabulary, lang: str = "python", keep: frozenset[str] = frozenset()) -> None:
        self.vocab = vocab
        self.lang = lang
        self.cache: dict[tuple[str, str], str | None] = {}
        # Names read inside string interpolations (masked, so out of the passes' sight):
        # rename_in_lines keeps them as they are.
        self.keep = keep
        kw = load_json("repair_keywords.json")
        # Python's builtins and the literal renderings are Python's and JavaScript's; the other
        # brace languages spell their literals per dialect in their keyword pass.
        scripting = lang in ("python", "javascript", "typescript")
        self.builtins: dict[str, str] = kw.get("builtins", {}) if scripting else {}
        self.literals: dict[str, str] = kw.get(f"literals_{'python' if lang == 'python' else 'js'}", {}) if scripting else {}

    def _match_vocab(self, options: list[list[str]], usage: Usage, bound: bool) -> str | None:
        """An ASCII identifier of the block whose words equal the back-translation.

        Exact matches of the first rendering may cross roles (a name used as an
        attribute elsewhere); looser matches (another rendering, a different
        inflection) must share the role, and never merge two names the block binds.
        """
        combos = _product(options, 32)
        first = "".join("".join(c) for c in [[o[0] for o in options]]).replace("_", "")
        joined = {"".join(c).replace("_", "") for c in combos}
        stems = _word_stems(options)
        joined_stems = {stem(j) for j in joined}
        best: tuple[float, str] | None = None
        roles = set(usage.roles)
        if "call" in roles:
            roles.add("name")
        for role, ident in self.vocab.all_idents():
            low = ident.lower().replace("_", "")
            words = split_words(ident)
            if not words:
                continue
            same_role = role in roles or role == "comment"
            if usage.plural and not low.endswith("s"):
                continue
            if ident in usage.forbidden:
                continue
            if bound and low != first and ident in self.vocab.assigned:
                continue  # two variables of the block, not one name translated at one site
            if low == first:
                score = 3.0
            elif low in joined and same_role:
                score = 2.5
            elif same_role and ((len(words) == len(stems) and all(stem(w) in st for w, st in zip(words, stems)))
                                or stem(low) in joined_stems):
                score = 2.0
            else:
                continue
            if role in roles:
                score += 0.5
            if role == "comment":
                score -= 1
            if best is None or score > best[0]:
                best = (score, ident)
        return best[1] if best else None

    def default_name(self, ja: str, usage: Usage) -> str | None:
        """The back-translation without looking at the block's ASCII names."""
        self._no_vocab = True
        try:
            return self._translate(ja, usage, False)
        finally:
            self._no_vocab = False

    def translate(self, ja: str, usage: Usage, bound: bool = False, kind: str = "name") -> str | None:
        if (ja, kind) in self.cache:
            return self.cache[(ja, kind)]
        result = self._translate(ja, usage, bound)
        self.cache[(ja, kind)] = result
        return result

    @staticmethod
    def _known_module(options: list[list[str]]) -> str | None:
        """``リクエスト`` imported → ``requests``; ``入力`` imported → ``typing``."""
        known = set(load_json("repair_keywords.json")["known_modules"])
        for combo in _product(options, 16):
            for cand in ("".join(combo), "_".join(combo)):
                for form in (cand, cand + "s", cand.lower(), cand.lower() + "s"):
                    if form in known:
                        return form
        return None

    def _translate(self, ja: str, usage: Usage, bound: bool) -> str | None:
        if ja in self.literals and usage.roles.get("attr", 0) == 0 and usage.roles.get("kwarg", 0) == 0:
            return self.literals[ja]
        if ja in self.builtins and not usage.imported and usage.roles.get("attr", 0) == 0 \
                and usage.roles.get("kwarg", 0) == 0:
            return self.builtins[ja]
        options: list[list[str]] = []
        for part in ja.split("_"):
            if not part:
                continue
            if not JA_RE.search(part):
                options.append([part])
                continue
            seg = segment(part)
            if seg is None:
                if usage.imported:
                    return restore_module_name(ja)
                return None
            options.extend([list(alts) for _, alts in seg])
        if not options:
            return None
        known_module = self._known_module(options) if usage.imported else None
        if known_module:
            return known_module
        if usage.imported:
            # A transliterated module (ナンピー → numpy): sounds, not meaning, decide.
            heard = restore_module_name(ja)
            if heard:
                return heard
        matched = None if getattr(self, "_no_vocab", False) else self._match_vocab(options, usage, bound)
        if matched:
            return matched
        words = [opt[0] for opt in options]
        if usage.roles.get("call") and not usage.assigned_to:
            # A method or function: prefer the verb among the renderings (評価 → evaluate).
            verbs = [a for a in options[-1]
                     if not a.endswith(_NOUN_ENDINGS) and not (a.endswith("s") and not a.endswith("ss"))]
            if verbs:
                words[-1] = verbs[0]
        if usage.plural and words:
            words[-1] = pluralize(words[-1])
        parts = "_".join(words).split("_")
        if usage.roles.get("call") and not bound and len(parts) > 1 and not usage.roles.get("attr"):
            kw = load_json("repair_keywords.json")
            # ``線形回帰()`` → ``LinearRegression()``: a class by its head noun, unless verb-first.
            if parts[-1] in kw["class_nouns"] and parts[0] not in kw["function_verbs"]:
                usage.capwords = True
        if usage.capwords:
            name = "".join(w[:1].upper() + w[1:] for w in parts)
        else:
            name = "_".join(words)
        if not usage.capwords and any(JA_RE.search(p) for p in ja.split("_")):
            # ``アイテムID`` → ``item_id``: ASCII capitals kept by MT join a snake_case name.
            name = "_".join(p.lower() if p.isupper() else p for p in name.split("_"))
        name = re.sub(r"[^A-Za-z0-9_]", "_", name)
        if not name or name[0].isdigit():
            name = "_" + name
        if keyword.iskeyword(name):
            name += "_"
        return name


_NOUN_ENDINGS = ("tion", "sion", "ment", "ance", "ence", "er", "or", "ing", "ity", "ness")


def _word_stems(options: list[list[str]]) -> list[set[str]]:
    """The stems allowed at each word position of a back-translation. A rendering of
    several words (``线性回归`` → ``linear_regression``) gives one position per word, so
    ``regressor`` (one word) cannot pass for it; renderings of different lengths for one
    segment fall back to one position holding the whole rendering."""
    out: list[set[str]] = []
    for opt in options:
        split = [split_words(alt) for alt in opt]
        if len({len(words) for words in split}) == 1:
            for k in range(len(split[0])):
                out.append({stem(words[k]) for words in split})
        else:
            out.append({stem(alt.replace("_", "")) for alt in opt})
    return out


def _product(options: list[list[str]], limit: int) -> list[list[str]]:
    combos: list[list[str]] = [[]]
    for opt in options:
        combos = [c + [o] for c in combos for o in opt][:limit]
    return combos


_INTERPOLATED = re.compile(r"\$\{?\s*(\w+)|\\\(\s*(\w+)|#\{\s*(\w+)|\{\s*(\w+)\s*\}")


def interpolated_names(pieces: Iterable[str]) -> frozenset[str]:
    """Japanese names read inside string interpolations (``${名前}``, ``$名前``, Swift's
    ``\\(名前)``, Ruby's ``#{名前}``, C#/Python ``{名前}``) of masked string pieces."""
    names = set()
    for piece in pieces:
        for m in _INTERPOLATED.finditer(piece):
            name = next(g for g in m.groups() if g)
            if JA_RE.search(name):
                names.add(name)
    return frozenset(names)


# ``key: value`` (an object key, a named argument), not ``::`` paths or Go's ``:=``.
_KEY_COLON = re.compile(r"\s*:(?![:=])")


def rename_in_lines(lines: list[str], translator: Translator, *, declared: set[str], casing: str,
                    inflect: Callable[[str, str, int, str], str] | None = None) -> list[str]:
    """Japanese identifiers on masked brace-language lines → English names (JavaScript and
    the other brace languages; Python has its own, statement-aware pass).

    ``const { スパン: エラー }`` → ``const { spans: errors }`` when the block uses them. A name
    the block ``declared`` itself may be a legitimate Japanese identifier: it changes only when
    the block also spells its translation in ASCII (MT translated one site). ``casing`` is
    ``camel`` (``item_id`` → ``itemId``) or ``snake``. ``inflect(en, line, start, after)`` may
    pluralise a name by evidence on its line; a plural decided for a binding (not an object
    key) holds for every later use of the same Japanese word. The translator's ``keep`` names
    (read inside a string's interpolation, which the passes cannot see) never change:
    renaming only the code side would break the program.
    """
    vocab = translator.vocab
    bound_plural: dict[str, str] = {}
    out = []
    for line in lines:
        def repl(m: re.Match[str]) -> str:
            word = m.group(0)
            if not JA_RE.search(word) or word in translator.keep:
                return word
            usage = Usage()
            before = line[: m.start()].rstrip()
            after = line[m.end():]
            if before.endswith("."):
                usage.roles["attr"] += 1
            elif _KEY_COLON.match(after):
                usage.roles["kwarg"] += 1
            else:
                usage.roles["name"] += 1
            en = translator.translate(word, usage)
            if word in declared and en not in vocab.names and en not in vocab.attrs:
                return word
            if en and casing == "camel" and "_" in en and not en.isupper():
                parts = en.split("_")
                en = parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])
            if en and inflect is not None:
                plural = inflect(en, line, m.start(), after)
                if plural != en and not _KEY_COLON.match(after):
                    bound_plural[word] = plural
                en = bound_plural.get(word, plural) if not before.endswith(".") else plural
            return en or word

        out.append(IDENT_RE.sub(repl, line))
    return out
