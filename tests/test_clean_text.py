"""Clean article text from every format: hard wraps re-joined, boilerplate beyond English, titles without site names."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.inputs.article import Article, ReadOptions
from digest.inputs.clean import DEFAULT_DROP_PATTERNS, clean_text, strip_site_name
from digest.inputs.discover import read_articles
from digest.nlp.text import split_sentences, unwrap

HTML = Path(__file__).parent / "data" / "corpus" / "html"

WRAPPED_72 = """\
The European Commission proposed on Wednesday a network of high-speed
rail lines that would link capitals from Warsaw via Berlin and Paris to
Lisbon. Trains between Hannover and Berlin would run every half hour,
and the journey from Munich to Vienna would take under four hours.

Key points:
- Warsaw to Berlin in four hours
- Paris to Lisbon overnight
"""


def clean(text: str, title: str | None = None) -> str:
    return clean_text(text, title, DEFAULT_DROP_PATTERNS)


def test_text_wrapped_at_72_columns_becomes_paragraphs_and_lists_stay_lines() -> None:
    text = unwrap(WRAPPED_72)
    first, second = text.split("\n\n")
    assert "\n" not in first and first.startswith("The European Commission") and "Paris to Lisbon." in first
    assert second == "Key points:\n- Warsaw to Berlin in four hours\n- Paris to Lisbon overnight"
    sentences = split_sentences(text, "en")
    assert sentences[:2] == [
        "The European Commission proposed on Wednesday a network of high-speed rail lines that would link "
        "capitals from Warsaw via Berlin and Paris to Lisbon.",
        "Trains between Hannover and Berlin would run every half hour, and the journey from Munich to Vienna "
        "would take under four hours.",
    ]


def test_a_break_inside_a_sentence_is_no_sentence_boundary() -> None:
    # the Zeit case: pysbd ended a "sentence" at the line break and a summary glued two fragments together
    raw = ("Die Strecke soll von Warschau über Berlin und Paris bis nach\nLissabon reichen. "
           "Auch zwischen Hannover und Berlin sollen Züge öfter fahren.")
    assert split_sentences(raw, "de") == [
        "Die Strecke soll von Warschau über Berlin und Paris bis nach\nLissabon reichen.",
        "Auch zwischen Hannover und Berlin sollen Züge öfter fahren."]
    assert clean(raw).startswith("Die Strecke soll von Warschau über Berlin und Paris bis nach Lissabon reichen.")


def test_headings_and_short_lines_are_not_joined() -> None:
    text = "Storm closes Dover port\nThe Port of Dover was closed on Tuesday.\nFerries\nTrains"
    assert unwrap(text) == text
    headlines = "Berlin confronts its colonial past\nGermany returns Benin bronzes\nMuseum opens a new wing"
    assert unwrap(headlines) == headlines


def test_hyphenated_word_at_a_wrap_is_rejoined() -> None:
    assert unwrap("Ministerpräsident in Baden-\nWürttemberg, sagte er am Montag.") == (
        "Ministerpräsident in Baden-Württemberg, sagte er am Montag.")


BODY = ("Le Sénat a adopté mardi soir la réforme des retraites par 195 voix contre 112, après trois semaines "
        "de débats souvent tendus dans l'hémicycle.")


def test_boilerplate_in_several_languages_goes_and_the_article_stays() -> None:
    junk = [
        "À lire aussi", "Réforme des retraites : ce qui change au 1er septembre",
        "Lire aussi | Les syndicats appellent à manifester",
        "Lesen Sie auch: Was die Rentenreform für Sie bedeutet",
        "Leggi anche Il governo cade",
        "Lee también: El Gobierno aprueba los presupuestos",
        "Inscrivez-vous à notre newsletter pour recevoir l'essentiel de l'actualité chaque matin.",
        "Melden Sie sich für unseren Newsletter an",
        "Sign up to our Morning Briefing newsletter and get the news in your inbox",
        "Iscriviti alla newsletter",
        "Suscríbete a nuestra newsletter",
        "Les sénateurs lors du vote, mardi. © Thomas Samson / AFP",
        "© Marie Dupont / Reuters",
        "By Jane Smith, Reuters",
        "Par Marie Dupont",
    ]
    text = clean("\n\n".join([junk[0], junk[1], BODY, *junk[2:], BODY.replace("195", "196")]))
    assert text == BODY + "\n\n" + BODY.replace("195", "196")


def test_real_sentences_that_look_like_boilerplate_survive() -> None:
    keep = ["By Monday, the port had reopened and the first ferries left for Calais.",
            "Under section 5(c) of the act, the council may raise the levy.",
            "Lire est un plaisir, disait-il, et il lisait chaque soir."]
    assert clean("\n\n".join(keep)) == "\n\n".join(keep)


def test_a_duplicated_pull_quote_is_dropped() -> None:
    quote = "“We have never seen queues like this at the port,” said Doug Bannister"
    paragraph = ("Lorries queued for 20 miles on Tuesday. “We have never seen queues like this at the port,” said "
                 "Doug Bannister, the port's chief executive.")
    assert clean(f"{paragraph}\n\n{quote}\n\nFerries resumed on Wednesday.") == (
        f"{paragraph}\n\nFerries resumed on Wednesday.")


def test_an_embedded_tweet_is_a_quote_the_story_reports_and_stays() -> None:
    tweet = "We are not backing down. pic.twitter.com/AbC123xyz"
    attribution = "— Jane Doe (@janedoe) March 5, 2020"
    assert clean(f"{BODY}\n\n{tweet}\n{attribution}") == f"{BODY}\n\n{tweet}\n{attribution}"


def test_a_menu_repeated_day_after_day_is_structure_not_a_pull_quote() -> None:
    day = ["Breakfast", "Eat within an hour of waking up", "Oatmeal with blueberries and one tablespoon of honey.",
           "Lunch", "Portion containers: one green, one red, one yellow, one teaspoon."]
    text = "\n".join(["Monday", *day, "Tuesday", *day])
    assert clean(text) == text


def test_title_loses_the_sites_own_name() -> None:
    assert strip_site_name("Il governo cade - La Stampa", "La Stampa") == "Il governo cade"
    assert strip_site_name("Oil prices fall | Reuters", "Reuters") == "Oil prices fall"
    assert strip_site_name("Il governo cade - La Stampa", "lastampa.it") == "Il governo cade"
    assert strip_site_name("Brexit - what happens next", "The Guardian") == "Brexit - what happens next"
    assert strip_site_name("Reuters | Oil prices fall", "Reuters") == "Oil prices fall"


def test_real_page_title_has_no_site_suffix() -> None:
    (article,) = read_articles([HTML / "dw.com.colonial.html"], ReadOptions())
    assert isinstance(article, Article)
    assert article.title == "Berlin confronts Germany's colonial past with new initiative"
    assert article.meta["sitename"] == "DW.COM"


@pytest.mark.parametrize("line", [
    "Originally appeared on VICE US", "This story originally appeared on The Conversation.",
    "Zuerst erschienen auf futurezone.at", "Initialement publié sur Le Monde",
    "Submit your letter to the editor via this form.", "Leserbriefe an die Redaktion: leserbriefe@example.de",
    "Donate now to keep our reporting free.", "Unterstützen Sie uns mit einer Spende.",
    "Faites un don pour soutenir notre rédaction.",
    "Beitragsbild: Getty Images", "Crédit photo : AFP", "Foto: dpa",
])
def test_syndication_letters_donation_and_image_lines_are_dropped(line):
    from digest.inputs.clean import DEFAULT_DROP_PATTERNS, clean_text

    first, last = "The council approved the budget on Tuesday.", "The vote followed a long debate."
    assert clean_text(f"{first}\n{line}\n{last}", None, DEFAULT_DROP_PATTERNS) == f"{first}\n{last}"


@pytest.mark.parametrize("line", [
    "The billionaire said he would donate half of his fortune to climate research.",
    "She wrote a letter to the editor of the local paper in 1998, and it changed her life, she said later "
    "in an interview that ran for two hours and covered her whole career in politics and business over decades.",
])
def test_news_sentences_about_donations_and_letters_stay(line):
    from digest.inputs.clean import DEFAULT_DROP_PATTERNS, clean_text

    assert clean_text(line, None, DEFAULT_DROP_PATTERNS) == line


@pytest.mark.parametrize("line", [
    "Have a tip? Amy Smith may be reached at asmith@example.com. Follow her on Twitter @asmith or on Facebook.",
    "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
    "Follow AP's full coverage of the elections at https://apnews.com/elections",
    "Folgen Sie uns auf Instagram und Facebook.", "Suivez-nous sur Twitter",
    "If you enjoyed this article, we have a proposition for you: join our members and read without ads.",
    "Wenn Ihnen dieser Artikel gefallen hat, unterstützen Sie unsere Arbeit.",
    "Get the day's top headlines delivered to your inbox every morning by subscribing to our newsletter.",
    "Get the latest updates right in your inbox.",
    "China furious at Macron for Hong Kong protest jibe [INSIGHT]", "SEE MORE: Students under siege in university",
    "5 min read", "Lesezeit: 3 Minuten", "Tempo de leitura: 1 minuto",
    "Updated at 1:23 p.m.", "sexta-feira, 22 de outubro de 2010 às 20:13", "Montag, 3. Mai 2021, 14:05 Uhr",
    "5:45 AM PST 11/19/2019 by Patrick Shanley", "mis à jour le 5 mai 2020 à 10h",
])
def test_social_asks_teasers_reading_times_and_date_lines_are_dropped(line):
    first, last = "The council approved the budget on Tuesday.", "The vote followed a long debate."
    assert clean(f"{first}\n{line}\n{last}") == f"{first}\n{last}"


@pytest.mark.parametrize("line", [
    "Fans who follow her on Instagram saw the photos before the label did.",
    "Scammers sent fake invoices to the inboxes of thousands of customers in May.",
    "The minister said he would follow the advice of the committee on Twitter's future.",
    "The meeting lasted 45 minutes.", "2019", "In May 2019 the council met again.",
    "Ten people were injured [AP] in the blast, police said on Monday.",
])
def test_news_sentences_about_follows_inboxes_minutes_and_dates_stay(line):
    assert clean(line) == line


def test_a_heading_that_restates_the_title_goes_and_a_different_one_stays() -> None:
    body = "Viera beat Rockledge 28-14 on Friday night and stays unbeaten."
    title = "HS Roundup: Viera defeats Rockledge to remain undefeated"
    assert clean(f"High School Roundup: Viera defeats Rockledge to remain undefeated\n\n{body}", title) == body
    assert clean(f"Rockledge coach resigns after the game\n\n{body}", title) == (
        f"Rockledge coach resigns after the game\n\n{body}")
    sentence = "Viera defeats Rockledge to remain undefeated, the coach said."
    assert clean(f"{sentence}\n\n{body}", title) == f"{sentence}\n\n{body}"  # a sentence, not a heading
