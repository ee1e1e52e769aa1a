"""Reading articles: encodings, markup, bad input, passages."""

from __future__ import annotations

import pytest

from geo.errors import EmptyArticle, InputError
from geo.config import MAX_ARTICLE_BYTES
from geo.text import EncodingGuess, detect_language, guess_encoding, load_article, preview, split_passages, to_utf8


def test_utf8_with_bom_and_crlf():
    article = load_article("\ufeffMinsk liegt in Weißrussland.\r\nZweiter Absatz.".encode("utf-8"))
    assert article.text.startswith("Minsk")
    assert "\r" not in article.text
    assert [p.paragraph for p in article.passages] == [0, 1]


def test_windows_1252_is_read_with_a_warning():
    article = load_article("Die Grenze zwischen Weißrussland und der Ukraine ist lang.".encode("cp1252"))
    assert "Weißrussland" in article.text
    assert article.warnings


def test_mojibake_is_repaired():
    broken = "Putin besucht Minsk in WeiÃŸrussland und MÃ¼nchen."
    article = load_article(broken.encode("utf-8"))
    assert "Weißrussland" in article.text and "München" in article.text
    assert any("mojibake" in w for w in article.warnings)


def test_utf16_with_bom():
    article = load_article("Kiew und Lwiw".encode("utf-16"))
    assert article.text == "Kiew und Lwiw"


@pytest.mark.parametrize("data, word", [
    (b"%PDF-1.7 binary", "PDF"),
    (b"\x89PNG\r\n\x1a\n....", "PNG"),
    (b"abc\x00\x01\x02def", "binary"),
])
def test_binary_files_get_a_clear_message(data, word):
    with pytest.raises(InputError, match=word):
        load_article(data)


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text(text):
    with pytest.raises(EmptyArticle, match="empty"):
        load_article(text)


def test_huge_input_is_refused_with_the_limit():
    with pytest.raises(InputError, match="MB"):
        load_article(b"a" * 3_000_000)


def test_html_is_reduced_to_visible_text_without_scripts():
    html = (
        "<html><head><title>Putin in Minsk</title><script>alert('x')</script></head>"
        "<body><h1>Putin in Minsk</h1><p>Er landete in <b>Minsk</b>.</p>"
        "<img src=x onerror=alert(1) alt='Bild aus Kiew'><style>p{}</style></body></html>"
    )
    article = load_article(html, filename="a.html")
    assert "alert" not in article.text and "<" not in article.text
    assert "Er landete in Minsk." in article.text
    assert "Bild aus Kiew" in article.text
    assert article.title == "Putin in Minsk"


def test_pasted_markup_stays_literal_text():
    article = load_article("Minsk <script>alert(1)</script> und Kiew sind Hauptstädte.")
    assert "<script>" in article.text  # shown as text, escaped when rendered


def test_markdown_is_unwrapped():
    md = "# Besuch in Minsk\n\nPutin reiste nach **Moskau** und [Kiew](https://example.org).\n\n- Lwiw\n- Luzk"
    article = load_article(md, filename="a.md")
    assert "#" not in article.text and "**" not in article.text and "](" not in article.text
    assert "Putin reiste nach Moskau und Kiew." in article.text


def test_language_detection():
    assert detect_language("Der Präsident ist in Minsk und wird mit dem Machthaber sprechen.") == "de"
    assert detect_language("The president is in Minsk and will talk with the leader of the country.") == "en"


def test_sentences_do_not_split_at_abbreviations_and_dates():
    text = "Er flog am 19. Dezember nach St. Petersburg. Dr. Meier blieb in Minsk. Dann kam U.S. news."
    passages = split_passages(text)
    sentences = [text[p.start:p.end] for p in passages]
    assert sentences[0] == "Er flog am 19. Dezember nach St. Petersburg."
    assert sentences[1] == "Dr. Meier blieb in Minsk."


def test_passages_cover_the_text_in_order():
    text = "Titel\n\nErster Satz. Zweiter Satz!\nDritter?\n\nFoto: Keystone"
    passages = split_passages(text)
    assert [p.index for p in passages] == list(range(len(passages)))
    assert all(a.end <= b.start for a, b in zip(passages, passages[1:]))
    assert passages[0].role == "title"
    assert passages[-1].role == "caption"


def test_a_credit_line_is_a_caption_with_its_slash_or_colon():
    """Only a short paragraph with a slash or a colon is searched for a credit (the speed-up
    of split_passages): each form of credit is still found, a paragraph without one is not."""
    for credit, role in (("Ein Bild vom Platz / AP", "caption"), ("Ein Bild vom Platz. Photo: Reuters", "caption"),
                         ("Bilder aus Minsk am Abend", "heading"), ("Ein Bild / AP " + "lang " * 80, "paragraph")):
        passages = split_passages(f"Titel\n\nErster Satz in Minsk.\n{credit}")
        assert {p.role for p in passages if p.paragraph == 2} == {role}, credit


# --------------------------------------------------------------------------- encodings, size limit

LATIN1_TEXT = ("Le sommet s'est tenu à Genève, puis les délégués sont partis pour A Coruña. "
               "Die Gespräche in Genève dauerten länger als erwartet.")


def test_latin1_is_read_as_western_european_not_central():
    data = LATIN1_TEXT.encode("latin-1")
    guess = guess_encoding(data)
    assert guess.encoding == "cp1252"
    article = load_article(data)
    assert "Genève" in article.text and "A Coruña" in article.text and "Genčve" not in article.text
    assert any("Windows-1252" in w for w in article.warnings)


def test_latin1_file_finds_geneva(gazetteer):
    from geo.pipeline import geoparse

    result = geoparse(LATIN1_TEXT.encode("latin-1"), filename="sommet.txt", gazetteer=gazetteer)
    geneva = [p for p in result.places if p.display_name == "Genève"]
    assert geneva and geneva[0].candidate.country == "CH", [(p.name, p.id) for p in result.places]
    assert geneva[0].candidate.lat == pytest.approx(46.2, abs=0.2), "Geneva, city or canton"


def test_a_chosen_encoding_is_obeyed():
    data = LATIN1_TEXT.encode("latin-1")
    assert "Genčve" in load_article(data, encoding="cp1250").text
    assert to_utf8(data, "cp1252").decode("utf-8").startswith("Le sommet s'est tenu à Genève")
    assert "Genève" in preview(data, "cp1252") and "Genčve" in preview(data, "cp1250")


def test_cyrillic_is_not_forced_into_western():
    data = ("Президент прибыл в Минск. " * 5).encode("cp1251")
    guess = guess_encoding(data)
    assert guess.encoding != "cp1252" or not guess.sure
    assert guess_encoding("Genève".encode("utf-8")) == EncodingGuess("utf-8", True)


def test_one_size_limit_for_files_and_pasted_text():
    sentence = "Die Delegation reiste von Genève nach Zürich und weiter nach Minsk. "
    nearly = (sentence * (1_990_000 // len(sentence.encode("latin-1")))).encode("latin-1")
    assert 1_980_000 < len(nearly) <= MAX_ARTICLE_BYTES
    assert load_article(nearly).text.startswith("Die Delegation"), "a 1.99 MB file is read"
    for too_big in (b"a" * (MAX_ARTICLE_BYTES + 1), "ä" * (MAX_ARTICLE_BYTES // 2 + 1)):
        with pytest.raises(InputError, match="up to 2 MB"):
            load_article(too_big)
