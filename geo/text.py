"""Article text: read bytes or str safely, strip markup, detect the language, split passages.

Offsets everywhere index `Article.text`, the plain text the user sees. HTML and Markdown
are reduced to that text (scripts and styles dropped, never executed or rendered).
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from dataclasses import dataclass

from geo.config import MAX_ARTICLE_BYTES
from geo.errors import EmptyArticle, InputError
from geo.models import Article, Passage

__all__ = ["ENCODINGS", "EncodingGuess", "guess_encoding", "check_size", "load_article", "read_article_file",
           "clean_text", "decode_bytes", "preview", "to_utf8", "detect_language", "split_passages", "html_to_text",
           "markdown_to_text"]

# The encodings a person can choose in the page (codec name → what it is called there), Western
# European first: the articles are German or English, so Windows-1252 (a superset of Latin-1's
# printable characters) is the likelier reading of non-UTF-8 bytes than Windows-1250, which
# charset-normalizer tends to pick for short Latin-1 texts («Genève» → «Genčve», FINDINGS §7).
ENCODINGS = {
    "utf-8": "Unicode (UTF-8)",
    "cp1252": "Western European (Windows-1252, Latin-1)",
    "iso-8859-15": "Western European with € (Latin-9)",
    "cp1250": "Central European (Windows-1250)",
    "iso-8859-2": "Central European (Latin-2)",
    "cp1251": "Cyrillic (Windows-1251)",
    "koi8-r": "Cyrillic (KOI8-R)",
    "mac-roman": "Western European (Mac OS Roman)",
}
WESTERN = "cp1252"
_WESTERN_NAMES = {"cp1252", "windows-1252", "latin_1", "latin-1", "iso8859-1", "iso-8859-1", "iso8859_15",
                  "iso-8859-15", "ascii"}
# What Western European text writes beyond ASCII: its letters, quotes, dashes and signs.
_WESTERN_CHARS = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿŒœŠšŸŽžƒ"
    "€‚„…†‡ˆ‰‹›‘’“”•–—˜™«»°§©®·¡¿´¨¸ªº¹²³¼½¾±×÷£¥¢\u00a0"
)

_BINARY_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (e.g. a Word .docx file)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
    b"\x7fELF": "a program",
}
_ACCEPTED = "Paste the article as text, or upload it as .txt, .md or .html."


def check_size(data: bytes | str) -> None:
    """The one size limit of an article, for files and pasted text alike: MAX_ARTICLE_BYTES of
    the bytes as given (pasted text counts as UTF-8). A file under it is never refused later."""
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > MAX_ARTICLE_BYTES:
        raise _too_large(size)


def _too_large(size: int) -> InputError:
    return InputError(f"The article has {size / 1e6:.2f} MB; Article Atlas reads articles up to "
                      f"{MAX_ARTICLE_BYTES / 1e6:.0f} MB. Split it, or paste the part you need.")


@dataclass(frozen=True)
class EncodingGuess:
    """How bytes will be read: the codec, and whether the guess is safe enough not to ask."""

    encoding: str
    sure: bool

    @property
    def unicode(self) -> bool:
        return self.encoding in ("utf-8", "utf-16")


def guess_encoding(data: bytes) -> EncodingGuess:
    """UTF-8 and UTF-16 (BOM) are certain; other bytes are read as Western European when they
    decode to Western letters and signs only, sure when charset-normalizer agrees."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return EncodingGuess("utf-16", True)
    try:
        data.decode("utf-8")
        return EncodingGuess("utf-8", True)
    except UnicodeDecodeError:
        pass
    detected = _detect(data)
    if _reads_as_western(data):
        return EncodingGuess(WESTERN, detected in _WESTERN_NAMES)
    if detected:
        return EncodingGuess(detected, False)
    return EncodingGuess(WESTERN, False)


def _reads_as_western(data: bytes) -> bool:
    try:
        text = data.decode(WESTERN)
    except UnicodeDecodeError:
        return False
    return all(ch in _WESTERN_CHARS for ch in set(text) if ord(ch) > 127)


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    return best.encoding.lower().replace("_", "-") if best is not None and best.encoding else None


def decode_bytes(data: bytes, *, encoding: str | None = None) -> tuple[str, list[str]]:
    """Bytes → text, with warnings for anything guessed or repaired.

    UTF-8 (with or without BOM) and UTF-16 with BOM decode exactly; anything else is read by
    `guess_encoding` unless `encoding` (a choice made in the page) says how, and mojibake
    (WeiÃŸrussland) is repaired with ftfy.
    """
    check_size(data)
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise InputError(f"This file is {what}, not text. {_ACCEPTED}")
    warnings: list[str] = []
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and encoding != "utf-16":
        raise InputError(f"This file looks binary (it contains NUL bytes), not text. {_ACCEPTED}")
    if encoding is None and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise InputError(f"This file starts like UTF-16 text but is not valid UTF-16 ({err.reason} "
                             f"at byte {err.start}). Save it again as UTF-8. {_ACCEPTED}") from err
    elif encoding is not None:
        text = _decode_as(data, encoding)
    else:
        guess = guess_encoding(data)
        text = _decode_as(data, guess.encoding)
        if not guess.unicode:
            warnings.append(f"The file is not UTF-8; it was read as {ENCODINGS.get(guess.encoding, guess.encoding)}. "
                            "Check special characters.")
    repaired = _repair_mojibake(text)
    if repaired != text:
        warnings.append("Garbled characters (mojibake such as 'Ã¼') were repaired.")
        text = repaired
    return text, warnings


def _decode_as(data: bytes, encoding: str) -> str:
    if encoding == "utf-8":
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except LookupError as err:
        raise InputError(f"Unknown text encoding {encoding!r}; choose one of: {', '.join(ENCODINGS)}.") from err
    except UnicodeDecodeError:
        if encoding == WESTERN:  # the five bytes Windows-1252 leaves undefined read as Latin-1
            return data.decode("latin-1")
        raise InputError(f"The file is not valid {ENCODINGS.get(encoding, encoding)} text; choose another "
                         "encoding.") from None


def preview(data: bytes, encoding: str, *, width: int = 80) -> str:
    """A line of the text, read with `encoding`, around its first non-ASCII character: what a
    person looks at to tell «Genève» from «Genčve»."""
    try:
        text = _decode_as(data[:20_000], encoding)
    except InputError:
        return ""
    at = next((i for i, ch in enumerate(text) if ord(ch) > 127 and not ch.isspace()), None)
    if at is None:
        return ""
    start = max(0, at - width // 2)
    return " ".join(text[start:start + width].split())


def to_utf8(data: bytes, encoding: str) -> bytes:
    """The bytes of an article re-encoded as UTF-8 (how a file read with a chosen encoding is kept)."""
    return _decode_as(data, encoding).encode("utf-8")


def _repair_mojibake(text: str) -> str:
    if not re.search("[ÃÂâ][\u0080-\u00ff\u0152-\u2122]", text):
        return text  # cheap guard: ftfy only where mojibake is likely
    import ftfy

    return ftfy.fix_encoding(text)


# Unicode category Cc (C0 and C1 controls) except newline and tab; one regex pass, not a loop.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LETTERS = re.compile(r"[^\W\d_]+")  # runs of letters (\w less digits and _), removed to count them


def clean_text(text: str) -> str:
    """The character clean-up every article gets: newlines, NFC, no soft hyphens or control chars."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u00ad", "")  # soft hyphens hide inside names (Weiss\u00adrussland)
    return _CONTROL.sub("", text)


def _check_text(text: str) -> str:
    text = clean_text(text)
    if not text.strip():
        raise EmptyArticle(f"The article is empty. {_ACCEPTED}")
    letters = len(text) - len(_LETTERS.sub("", text))
    if letters < 0.3 * len(text.strip()):
        raise InputError(f"This does not look like article text (too few letters). {_ACCEPTED}")
    return text


# --------------------------------------------------------------------------- markup


class _TextExtractor(HTMLParser):
    _SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "button", "form", "nav"}
    _BLOCK = {
        "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article",
        "header", "footer", "blockquote", "figcaption", "figure", "title", "dd", "dt", "pre", "hr", "table",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skip_depth += 1
        if tag in self._BLOCK:
            self.parts.append("\n")
        if tag == "title":
            self._in_title = True
        if tag == "img":
            alt = dict(attrs).get("alt")
            if alt and not self._skip_depth:
                self.parts.append(f"\n{alt}\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self._skip_depth:
            self._skip_depth -= 1
        if tag in self._BLOCK:
            self.parts.append("\n")
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip_depth:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str]:
    """Visible text of an HTML document (paragraph breaks kept) and its <title>."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return "\n\n".join(line for line in lines if line), parser.title.strip()


_MD_RULES = [
    (re.compile(r"^```.*?^```", re.M | re.S), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),
    (re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.M), ""),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)\*(?!\w)"), r"\1"),
    (re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)_(?!\w)"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$", re.M), ""),
]


def markdown_to_text(markdown: str) -> str:
    """Plain text of a Markdown article (headings, emphasis, links and lists unwrapped)."""
    text = markdown
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


# --------------------------------------------------------------------------- language

_STOPWORDS = {
    "de": set("der die das und ist nicht ein eine einer einem einen des dem den zu von mit sich auf für "
              "im auch als an es bei nach wie aus wird werden hat haben war sind noch nur oder aber "
              "um wenn dass so schon vor über seit zum zur bis doch wir sie er ihr".split()),
    "en": set("the and is are was were of to in that it for on with as by at from this be have has "
              "had not but or an which they he she their said will would would been who also its "
              "after more than about into over".split()),
}


_LOWER_WORD = re.compile(r"[a-zäöüß]+")


def detect_language(text: str, default: str = "en") -> str:
    """'de' or 'en' by counting each language's commonest words (robust on short texts)."""
    found = _LOWER_WORD.findall(text[:20000].lower())
    counts = {lang: sum(map(words.__contains__, found)) for lang, words in _STOPWORDS.items()}
    if counts["de"] == counts["en"]:
        return default
    return max(counts, key=counts.get)


# --------------------------------------------------------------------------- passages

_ABBREVIATIONS = {
    "st", "dr", "prof", "hr", "fr", "nr", "str", "ca", "bzw", "vgl", "usw", "etc", "mr", "mrs",
    "ms", "jr", "sr", "gen", "col", "lt", "sgt", "gov", "sen", "rep", "jan", "feb", "aug", "sept",
    "oct", "okt", "nov", "dec", "dez", "no", "vol", "pp", "mt", "ft", "bd", "abs", "art", "inkl",
    "evtl", "ggf", "sog", "u", "z", "b", "d", "h", "a", "m", "i", "v", "chr", "jh", "mio", "mrd",
    "tel", "corp", "inc", "ltd", "co", "vs", "ave", "blvd", "rd", "sa", "ges", "gebr", "hl",
    # German administrative abbreviations before a place's name: «Bez. Zwettl», «Lk. Görlitz», «Gde. Au»
    "bez", "lk", "lkr", "ldkr", "kr", "gde", "gem", "kt", "bhf",
}
_SENTENCE_END = re.compile(r"[.!?…]+[»«\"”“’'\)\]]*(?=\s+[«»\"“„'(\[]?[A-ZÄÖÜ0-9])")
_CREDIT = re.compile(
    r"(?:/\s*(?:AP|Reuters|AFP|dpa|EPA|Keystone|Getty Images|Imago|NZZ|Bloomberg)\b|"
    r"\b(?:Foto|Bild|Photo|Image|Credit)s?\s*:)", re.I,
)
_HYPHEN = re.compile(r"[-‐‑]")
_DATELINE = re.compile(r"^[\w .'-]+,\s*[\w .-]+\s+\d{1,2}\.\d{1,2}\.\d{2,4}\s*$")


def _sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.end()
        before = text[cursor:match.start()].rsplit(None, 1)
        last_word = before[-1] if before else ""
        bare = _HYPHEN.split(last_word.strip("«»\"“„'(").rstrip(".").lower())[-1]  # D-W. Va.
        if match.group().startswith(".") and (
            bare in _ABBREVIATIONS or (bare.isdigit() and len(bare) <= 2) or (len(bare) == 1 and bare.isalpha())
        ):
            continue
        spans.append((cursor, stop))
        cursor = stop
        while cursor < end and text[cursor].isspace():
            cursor += 1
    if cursor < end:
        spans.append((cursor, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def split_passages(text: str) -> tuple[Passage, ...]:
    """Sentences with offsets, grouped by paragraph (each non-empty line), with a role."""
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    passages: list[Passage] = []
    for number, (p_start, p_end) in enumerate(paragraphs):
        while p_start < p_end and text[p_start].isspace():
            p_start += 1
        while p_end > p_start and text[p_end - 1].isspace():
            p_end -= 1
        paragraph_text = text[p_start:p_end]
        sentences = _sentence_spans(text, p_start, p_end)
        # (a credit has its slash or colon: most paragraphs are not searched)
        caption = (len(paragraph_text) < 400 and ("/" in paragraph_text or ":" in paragraph_text)
                   and bool(_CREDIT.search(paragraph_text)))
        heading = len(sentences) == 1 and not re.search(r"[.!:»«\"”]$", paragraph_text) and len(paragraph_text.split()) <= 12
        for k, (s_start, s_end) in enumerate(sentences):
            sentence = text[s_start:s_end]
            if _DATELINE.match(sentence):
                role = "dateline"
            elif number == 0 and len(paragraphs) > 1:
                role = "title" if k == 0 else "lead"
            elif caption:
                role = "caption"
            elif heading and number > 0:
                role = "heading"
            else:
                role = "paragraph"
            passages.append(Passage(len(passages), s_start, s_end, number, role))
    return tuple(passages)


# --------------------------------------------------------------------------- entry points


def load_article(source: str | bytes, *, filename: str = "", lang: str = "auto",
                 encoding: str | None = None) -> Article:
    """Read an article from pasted text or uploaded bytes (.txt, .md, .html); `encoding` overrides
    the guess for bytes that are not UTF-8."""
    warnings: list[str] = []
    if isinstance(source, bytes):
        source, warnings = decode_bytes(source, encoding=encoding)
    else:
        check_size(source)
    suffix = Path(filename).suffix.lower()
    title = ""
    if suffix in (".html", ".htm") or (suffix not in (".md", ".txt") and _looks_like_html(source)):
        source, title = html_to_text(source)
    elif suffix in (".md", ".markdown"):
        source = markdown_to_text(source)
    text = _check_text(source)
    if lang not in ("auto", "de", "en"):
        raise InputError(f"Unknown language {lang!r}; use auto, de or en.")
    language = detect_language(text) if lang == "auto" else lang
    passages = split_passages(text)
    if not title and passages:
        first = passages[0]
        title = text[first.start:first.end] if first.role == "title" else ""
    return Article(text=text, lang=language, passages=passages, title=title,
                   source_name=Path(filename).name, warnings=tuple(warnings))


def read_article_file(path: str | Path, *, lang: str = "auto") -> Article:
    """Load an article from disk; unreadable files raise InputError with the reason."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise _too_large(size)
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from err
    return load_article(data, filename=path.name, lang=lang)
