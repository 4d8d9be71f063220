"""The rules engine core: matching semantics, how rules combine, validation with lines."""

import pytest

from intake.message import DealerFacts, ParsedMessage
from intake.rulesfile import load_rules_text
from intake.understand.rules.engine import classify
from intake.understand.rules.text import KeywordIndex, keyword_pattern
from intake.yamlconf import ConfigError


def msg(subject="", body="", **kw) -> ParsedMessage:
    return ParsedMessage(subject=subject, text=body, new_text=body, from_addr=kw.pop("from_addr", "a@b.example"), **kw)


RULES = """
version: 1
settings: {threshold: 2}
lists:
  order_words: [place an order, bestell*, zamówienie, commande]
rules:
  - id: order-body
    when: {body: {words: ['@order_words']}}
    then: {category: order, score: 3}
  - id: quote-subject
    when: {subject: [quote]}
    then: {category: quote, score: 2}
  - id: urgent
    when: {text: [urgent]}
    then: {priority: high, score: 0}
"""


@pytest.fixture(scope="module")
def rules():
    return load_rules_text(RULES, "t.yaml")


@pytest.mark.parametrize("text", ["We would like to PLACE an order.", "Hiermit bestellen wir", "Bestellung Nr. 5",
                                  "ZAMOWIENIE nr 12", "Zamówienie nr 12", "votre commande", "Votre COMMANDE!"])
def test_keywords_ignore_case_accents_and_punctuation(rules, text):
    assert classify(msg(body=text), None, rules).category == "order"


@pytest.mark.parametrize("text", ["reorder them", "preorder", "a place and an order", "abbestellen"])
def test_keywords_match_from_the_start_of_a_word(rules, text):
    assert classify(msg(body=text), None, rules).category == "unclassified"


@pytest.mark.parametrize("text", ["we placed an order", "placing an order", "commandons", "Zamówienia nr 12"])
def test_keywords_match_other_forms_of_their_words(rules, text):
    assert classify(msg(body=text), None, rules).category == "order"


def test_compounds_match_in_languages_that_build_them(rules):
    r = load_rules_text("version: 1\nrules:\n  - id: q\n    when: {body: [anfrage]}\n    then: {category: quote, score: 2}\n")
    assert classify(msg(body="Unsere Preisanfrage für 20 Stühle", language="de"), None, r).category == "quote"
    assert classify(msg(body="Unsere Preisanfrage für 20 Stühle", language="en"), None, r).category == "unclassified"


def test_exact_keywords_do_not_match_other_forms():
    r = load_rules_text("version: 1\nrules:\n  - id: o\n    when: {body: ['=ordiniamo']}\n"
                        "    then: {category: order, score: 2}\n")
    assert classify(msg(body="Con la presente ordiniamo 3 sedie", language="it"), None, r).category == "order"
    assert classify(msg(body="Lo stato del nostro ordine?", language="it"), None, r).category == "unclassified"


def test_language_tagged_words_apply_to_their_language_and_english_everywhere():
    r = load_rules_text("""
version: 1
lists:
  wet: {"no": våt, en: soaked}
rules:
  - id: wet
    when: {body: ['@wet']}
    then: {category: rework, score: 2}
  - id: vat
    when: {body: [vat]}
    then: {category: query, score: 2}
""")
    norwegian = classify(msg(body="Pallen var helt våt", language="no"), None, r)
    assert norwegian.category == "rework" and norwegian.rules == ["wet"]
    # Folded alike, but the Norwegian word is a keyword of another rule and another language.
    assert classify(msg(body="Our VAT number", language="en"), None, r).rules == ["vat"]
    assert classify(msg(body="Les cartons étaient soaked", language="fr"), None, r).category == "rework"
    assert classify(msg(body="Pallen var våt", language="sv"), None, r).rules == ["vat"]


def test_english_words_in_mail_of_another_language_match_as_english_writes_them():
    r = load_rules_text("""
version: 1
lists:
  faults: {en: [dent, damaged], fr: [cassé]}
rules:
  - id: fault
    when: {body: ['@faults']}
    then: {category: rework, score: 2}
""")
    # Stemmed the French way, the English "dent" would meet "dents" (teeth, tines).
    assert classify(msg(body="Merci d'expédier 6 dents T-90", language="fr"), None, r).category == "unclassified"
    assert classify(msg(body="Il dente è rotto? No: 10 denti T-90", language="it"), None, r).category == "unclassified"
    # Written as English writes it, an English word still counts in any language.
    assert classify(msg(body="Le carton est arrivé damaged", language="fr"), None, r).category == "rework"
    assert classify(msg(body="Deux portes ont un dent", language="fr"), None, r).category == "rework"
    # In English mail English words are stemmed as before.
    assert classify(msg(body="Two doors are dented", language="en"), None, r).category == "rework"
    assert classify(msg(body="La porte est cassée", language="fr"), None, r).category == "rework"


def test_a_fallback_rule_decides_only_when_nothing_else_reaches_the_threshold():
    r = load_rules_text("""
version: 1
rules:
  - id: call
    when: {channel: call}
    then: {category: query, fallback: true}
  - id: fault
    when: {body: [broken]}
    then: {category: rework, score: 2}
""")
    assert classify(msg(body="it is broken", channel="call"), None, r).category == "rework"
    d = classify(msg(body="call me", channel="call"), None, r)
    assert (d.category, d.rules, d.scores) == ("query", ["call"], {})


def test_the_first_fallback_that_matches_decides_and_none_is_tested_when_something_won():
    r = load_rules_text("""
version: 1
rules:
  - id: asks
    when: {body: {regex: '\\?'}}
    then: {category: query, fallback: true}
  - id: asks-nothing
    when: {not: {body: {regex: '\\?'}}}
    then: {category: none, fallback: true}
  - id: fault
    when: {body: [broken]}
    then: {category: rework, score: 2}
""")
    assert classify(msg(body="anything new?"), None, r).rules == ["asks"]
    d = classify(msg(body="we are at the fair in April"), None, r)
    assert (d.category, d.actionable, d.rules) == ("none", False, ["asks-nothing"])
    d = classify(msg(body="it is broken"), None, r)
    assert d.category == "rework" and [m.rule for m in d.matches] == ["fault"]


def test_regexes_that_trigger_nothing_are_still_tested():
    # Only the trigger regexes are searched on every message; a regex further down a rule is
    # searched when the rule is tested, and a header regex on a missing header is false.
    r = load_rules_text(r"""
version: 1
rules:
  - id: short-yes
    when: {all: [{body: ['yes']}, {not: {body: {regex: '(?:\w+\W+){4}\w'}}}]}
    then: {category: order, score: 3}
  - id: yes-by-machine
    when: {all: [{body: ['yes']}, {header: {name: X-Mailer, regex: '^robot'}}]}
    then: {category: none, score: 5}
  - id: no-mailer
    when: {all: [{body: ['maybe']}, {not: {header: {name: X-Mailer, regex: '.*'}}}]}
    then: {category: query, score: 3}
""")
    assert classify(msg(body="yes please"), None, r).category == "order"
    assert classify(msg(body="yes but only if the price is right"), None, r).category == "unclassified"
    assert classify(msg(body="yes please", headers={"x-mailer": ["robot 2.0"]}), None, r).category == "none"
    assert classify(msg(body="maybe"), None, r).category == "query"


def test_a_side_request_is_secondary_unless_it_is_the_only_request():
    r = load_rules_text("""
version: 1
settings: {threshold: 2}
rules:
  - id: status
    when: {body: [where is]}
    then: {category: query, score: 3}
  - id: catalogue-subject
    when: {subject: [catalogue]}
    then: {category: literature, score: 2}
  - id: catalogue-aside
    when: {body: [catalogue]}
    then: {category: literature, score: 2, side: true}
""")
    # Subject and aside together outscore the main request, yet the aside only adds a secondary request.
    d = classify(msg(subject="Order and catalogue", body="where is order 5? also a catalogue"), None, r)
    assert (d.category, d.secondary, d.rules) == ("query", ["literature"], ["status"])
    d = classify(msg(body="a catalogue please"), None, r)
    assert (d.category, d.rules, d.secondary) == ("literature", ["catalogue-aside"], [])


def test_a_question_in_the_main_text_stays_the_main_request_beside_a_postscript():
    r = load_rules_text("""
version: 1
settings: {threshold: 2}
rules:
  - id: leaflets-ps
    when: {postscript: [leaflets]}
    then: {category: literature, score: 2, side: true}
  - id: asks
    when: {body: {regex: '\\?'}}
    then: {category: query, fallback: true}
  - id: asks-nothing
    when: {not: {body: {regex: '\\?'}}}
    then: {category: none, fallback: true}
""")
    text = "Does it cope with a 40% slope?\n\nPS: and some leaflets please"
    d = classify(msg(body=text), None, r)
    assert (d.category, d.rules, d.secondary) == ("query", ["asks"], ["literature"])
    # With nothing asked above it, the postscript is the only request; a "nothing asked"
    # fallback never makes it not a request.
    d = classify(msg(body="Busy week here.\n\nPS: some leaflets please"), None, r)
    assert (d.category, d.rules) == ("literature", ["leaflets-ps"])


def test_a_side_request_outweighs_a_main_text_that_asks_nothing():
    r = load_rules_text("""
version: 1
settings: {threshold: 2}
rules:
  - id: thanks-for-invitation
    when: {body: [invitation]}
    then: {category: none, score: 7}
  - id: boxes-ps
    when: {postscript: [boxes]}
    then: {category: order, score: 2, side: true}
  - id: cheers-ps
    when: {postscript: [cheers]}
    then: {category: none, score: 2, side: true}
""")
    # Thanks for an invitation asks nothing: the goods asked for after it are the request.
    d = classify(msg(body="Thanks for the invitation to dinner.\n\nPS: 20 more boxes please"), None, r)
    assert (d.category, d.actionable, d.rules) == ("order", True, ["boxes-ps"])
    # A side line that asks nothing either leaves the main "none" as it was.
    d = classify(msg(body="Thanks for the invitation to dinner.\n\nPS: cheers"), None, r)
    assert (d.category, d.actionable) == ("none", False)


def test_body_order_beats_subject_quote(rules):
    d = classify(msg(subject="Quote 4411", body="Please place an order as quoted"), None, rules)
    assert d.category == "order"
    assert d.scores == {"order": 3.0, "quote": 2.0}
    assert d.rules == ["order-body"]


def test_modifier_rule_adds_priority_without_voting(rules):
    d = classify(msg(subject="urgent: quote please"), None, rules)
    assert (d.category, d.priority) == ("quote", "high")
    assert d.rules == ["quote-subject", "urgent"]


def test_nothing_matching_is_unclassified_but_actionable(rules):
    d = classify(msg(subject="hello", body="how are you"), None, rules)
    assert d.category == "unclassified" and d.actionable and d.sla_hours == 24


def test_explanation_names_the_keywords(rules):
    d = classify(msg(body="Bestellung anbei"), None, rules)
    (m,) = [m for m in d.matches if m.rule == "order-body"]
    assert m.why == ["body has bestell*"]


def test_fallback_matcher_gives_identical_hits():
    words = ["order", "bestell*", "łódź", "p.o.", "price list", "zip screen*"]
    patterns = {keyword_pattern(w) for w in words}
    fast, slow = KeywordIndex(patterns), KeywordIndex(patterns, use_automaton=False)
    assert fast.engine == "aho-corasick" and slow.engine == "substring"
    texts = ["Order, ORDER! bestellen Łódź", "our P.O. 55 and a price-list", "zip screens", "reorder", ""]
    for t in texts:
        for lang in ("en", "de", "pl"):
            assert fast.hits(t, lang) == slow.hits(t, lang)
    assert fast.hits(texts[0], "de") == {" order ", " bestell", " lodz "}
    assert fast.hits(texts[1], "en") == {" p o ", " price list "}
    assert fast.hits(texts[3], "en") == set()


def test_builtin_auto_reply_stops_everything(rules):
    m = msg(subject="Re: place an order", body="place an order", headers={"auto-submitted": ["auto-replied"]})
    d = classify(m, None, rules)
    assert (d.category, d.actionable, d.rules) == ("none", False, ["builtin.auto-replied"])
    assert d.sla_hours is None


def test_user_rule_replaces_builtin_by_id():
    r = load_rules_text(RULES + """
  - id: builtin.mailing-list
    enabled: false
    when: {header: List-Id}
    then: {category: none, stop: true}
""")
    m = msg(body="place an order", headers={"list-id": ["<dealers.example>"]})
    assert classify(m, None, r).category == "order"
    assert classify(m, None, load_rules_text(RULES)).category == "none"


def test_dealer_conditions():
    r = load_rules_text("""
version: 1
rules:
  - id: export-quote
    when: {all: [{dealer_area: export}, {body: [price]}]}
    then: {category: quote, score: 2}
  - id: unknown
    when: {dealer: unknown}
    then: {priority: low, score: 0}
""")
    de = DealerFacts("x", "X", "export", "DE")
    uk = DealerFacts("y", "Y", "uk", "GB")
    assert classify(msg(body="price please"), de, r).category == "quote"
    assert classify(msg(body="price please"), uk, r).category == "unclassified"
    assert classify(msg(body="price please"), None, r).priority == "low"


@pytest.mark.parametrize(
    "snippet, line, expected",
    [
        ("  - id: a\n    when: {subjekt: [x]}\n    then: {category: order}\n", 5, "unknown condition 'subjekt'"),
        ("  - id: a\n    when: {subject: {regex: '(unclosed'}}\n    then: {category: order}\n", 5,
         "invalid regular expression"),
        ("  - id: a\n    when: {subject: ['@nolist']}\n    then: {category: order}\n", 5, "unknown list 'nolist'"),
        # Every part of a nested any/all broken: the problem is said, not a crash building the rest.
        ("  - id: a\n    when:\n      all:\n        - any: [{body: ['@nolist']}]\n    then: {category: order}\n", 7,
         "unknown list 'nolist'"),
        ("  - id: a\n    when: [{body: ['@nolist']}]\n    then: {category: order}\n", 5, "unknown list 'nolist'"),
        ("  - id: a\n    when: {subject: [x]}\n    then: {category: ordr}\n", 6, "then.category"),
        ("  - id: a\n    when: {subject: [x]}\n    then: {category: order, scor: 2}\n", 6, "unknown key"),
        ("  - id: a\n    when: {subject: [x]}\n    then: {category: order}\n"
         "  - id: a\n    when: {subject: [y]}\n    then: {category: order}\n", 7, "duplicate rule id 'a'"),
        ("  - id: a\n    when: {call_duration: {min: soon}}\n    then: {category: order}\n", 5,
         "whole number of seconds"),
        ("  - id: a\n    when: {subject: [x]}\n    then: {category: order, score: high}\n", 6, "then.score"),
        ("  - id: a\n    when: {subject: [x]}\n    then: {category: order, actionable: false}\n", 6,
         "contradicts"),
        ("  - id: a\n    when: {subject: {words: [x], min_hits: 0}}\n    then: {category: order}\n", 5,
         "min_hits"),
        ("  - id: a\n    when: {reply: maybe}\n    then: {category: order}\n", 5, "true or false"),
        ("  - id: a\n    when: {header: {regex: x}}\n    then: {category: order}\n", 5, "header name"),
        ("  - id: a\n    when: {subject: ['!!!']}\n    then: {category: order}\n", 5, "no letters or digits"),
        ("  - id: a\n    when: {subject: ['still £']}\n    then: {category: order}\n", 5, "£ cannot be matched"),
        ("  - id: a\n    when: {any: []}\n    then: {category: order}\n", 5, "non-empty list"),
        ("  - id: a\n    then: {category: order}\n", 4, "needs a `when:`"),
        ("  - id: a b\n    when: {subject: [x]}\n    then: {category: order}\n", 4, "rules[0].id"),
        ("  - id: a\n    when: {subject: [x]}\n    then: {category: order, route_to: nobody}\n", 6, "route_to"),
    ],
)
def test_validation_errors_name_file_and_line(snippet, line, expected):
    text = "version: 1\nlists: {}\nrules:\n" + snippet
    with pytest.raises(ConfigError) as e:
        load_rules_text(text, "rules.yaml")
    problems = [p for p in e.value.problems if expected in p.message]
    assert problems, str(e.value)
    assert problems[0].file == "rules.yaml" and problems[0].line == line


def test_rules_compiled_by_a_helper_keep_their_problems_and_their_version(tmp_path, default_rules):
    """The daemon with workers has a helper process compile the rules; what it gets back
    must be what compiling in place gives: the same version, or every problem at its line."""
    from intake.rulesfile import load_rulebook_packed

    bad = tmp_path / "rules.yaml"
    bad.write_text("version: 1\nlists: {}\nrules:\n  - id: a\n    when: {subject: [x]}\n"
                   "    then: {category: order, route_to: nobody}\n")
    with pytest.raises(ConfigError) as e:
        load_rulebook_packed(bad)
    assert [(p.file, p.line) for p in e.value.problems if "route_to" in p.message] == [(str(bad), 6)]
    book = load_rulebook_packed(None)
    assert type(book.rules).__name__ == "PackedRules" and book.version == default_rules.version
    assert book.rules.compiled().size == default_rules.size


def test_wrong_version_is_refused():
    with pytest.raises(ConfigError) as e:
        load_rules_text("version: 2\nrules: []\n", "r.yaml")
    assert e.value.problems[0].line == 1 and "version" in e.value.problems[0].message


def test_default_rules_load(default_rules):
    assert len(default_rules.rules) > 10
    assert default_rules.index.engine == "aho-corasick"
    assert default_rules.always  # rules without keywords (built-ins on headers) are always tested
    assert len(default_rules.always) < len(default_rules.rules)


def test_default_rules_decide_the_same_without_the_automaton():
    from pathlib import Path

    from intake.rulesfile import load_rules
    from intake.understand.parse import parse_email

    root = Path(__file__).parents[1]
    fast, plain = load_rules(root / "rules.yaml"), load_rules(root / "rules.yaml", use_automaton=False)
    assert plain.index.engine == "substring"
    files = sorted((root / "samples" / "mail").glob("*.eml")) + sorted((root / "tests" / "fixtures" / "mail").glob("*"))
    for f in files:
        m = parse_email(f.read_bytes())
        a, b = classify(m, None, fast), classify(m, None, plain)
        assert (a.category, a.rules, a.matched, a.scores) == (b.category, b.rules, b.matched, b.scores), f.name


def test_a_bad_list_or_regex_is_one_problem_not_two():
    with pytest.raises(ConfigError) as err:
        load_rules_text("version: 1\nrules:\n  - id: a\n    when: {body: ['@nolist']}\n    then: {category: order}\n"
                        "  - id: b\n    when: {body: {regex: '(unclosed'}}\n    then: {category: order}\n", "r.yaml")
    messages = [p.message for p in err.value.problems]
    assert len(messages) == 2, messages
    assert "unknown list 'nolist'" in messages[0] and "invalid regular expression" in messages[1]


def test_a_catastrophic_regex_runs_in_linear_time():
    """``(a+)+$`` backtracks exponentially in Python's re: 30 characters would take minutes."""
    import time

    r = load_rules_text("version: 1\nrules:\n  - id: a\n    when: {body: {regex: '(a+)+$'}}\n"
                        "    then: {category: order, score: 5}\n")
    started = time.monotonic()
    d = classify(msg(body="a" * 5000 + "!"), None, r)
    assert time.monotonic() - started < 2
    assert d.category == "unclassified"
    assert classify(msg(body="aaaa"), None, r).category == "order"


def test_a_pattern_that_cannot_run_in_linear_time_is_refused_at_its_line():
    with pytest.raises(ConfigError) as err:
        load_rules_text("version: 1\nrules:\n  - id: a\n    when: {body: {regex: '(?=order)ord'}}\n"
                        "    then: {category: order}\n", "r.yaml")
    (p,) = err.value.problems
    assert p.line == 4 and "look-around" in p.message


SENTENCE_RULES = """version: 1
rules:
  - id: near-any
    when: {near: {words: [[send us], [brochures]], within: 30}}
    then: {category: literature, score: 3}
  - id: near-sentence
    when: {near: {words: [[send us], [brochures]], within: 30, sentence: true}}
    then: {category: literature, score: 5}
  - id: sent-apart
    when: {apart: {words: [[send us], [brochures]], within: 30, sentence: true}}
    then: {category: order, score: 7}
"""


def _matched(rules, body):
    return {m.rule for m in classify(msg(body=body), None, rules).matches}


def test_near_in_one_sentence_and_apart():
    r = load_rules_text(SENTENCE_RULES)
    # One sentence, even across the lines of a list after a colon.
    assert _matched(r, "Please send us:\n- 100 brochures\n- 3 books") == {"near-any", "near-sentence"}
    # Two sentences: near, but not in one sentence; the sending stands apart from the brochures.
    assert _matched(r, "Please send us 4 sofas. If you have brochures, add a few!") == {"near-any", "sent-apart"}
    # A second sentence that pairs them does not undo the first sending.
    assert _matched(r, "Send us 4 sofas. And send us some brochures.") == {"near-any", "near-sentence", "sent-apart"}
    # "1.5 m" is one sentence: a full stop ends one only before a space or the end.
    assert _matched(r, "Send us 1.5 m of brochures") == {"near-any", "near-sentence"}


def test_near_in_order_wants_the_second_group_after_the_first():
    r = load_rules_text("""
version: 1
rules:
  - id: sent-instead
    when: {near: {words: [[sent, delivered], [instead of]], within: 8, in_order: true}}
    then: {category: rework, score: 3}
""")
    assert classify(msg(body="You sent E14 bulbs instead of E27."), None, r).category == "rework"
    # The sending named after "instead of" is the alternative asked for, not what came.
    assert classify(msg(body="Can we collect it instead of having it delivered?"), None, r).category == "unclassified"
    with pytest.raises(ConfigError) as err:
        load_rules_text("version: 1\nrules:\n  - id: a\n    when: {near: {words: [[a], [b]], in_order: yes please}}\n"
                        "    then: {category: order}\n", "r.yaml")
    assert "in_order must be true or false" in str(err.value)


def test_sentence_must_be_true_false_or_question():
    with pytest.raises(ConfigError) as err:
        load_rules_text(SENTENCE_RULES.replace("sentence: true}}\n    then: {category: literature",
                                               "sentence: maybe}}\n    then: {category: literature"), "r.yaml")
    (p,) = err.value.problems
    assert p.line == 7 and "sentence must be true, false or question" in p.message


def test_near_in_one_question():
    r = load_rules_text("""
version: 1
rules:
  - id: price-asked
    when: {near: {words: [[can you], [price]], within: 10, sentence: question}}
    then: {category: quote, score: 3}
""")
    assert _matched(r, "Same again for the new block. Can you work out the price?") == {"price-asked"}
    # Both in one sentence, but it asks nothing; and a question elsewhere does not lend its mark.
    assert _matched(r, "Can you ship it at the old price. When does it come?") == set()
    assert _matched(r, "Can you do that? The price is fine.") == set()


REGEX_RULES = """
version: 1
settings: {threshold: 2}
rules:
  - id: ooo
    when: {subject: {regex: '^\\s*(out of office|abwesend)\\b'}}
    then: {category: none, stop: true}
  - id: ticket
    when: {any: [{subject: {regex: 'ticket #\\d{4,}'}}, {body: {regex: 'ticket #\\d{4,}'}}]}
    then: {category: query, score: 3}
  - id: asks
    when: {body: {regex: '\\?'}}
    then: {category: query, score: 1}
  - id: receipt
    when: {header: {name: Content-Type, regex: 'disposition-notification'}}
    then: {category: none, stop: true}
"""


@pytest.mark.parametrize("subject,body,headers,expected", [
    ("Out of office: back Monday", "", {}, "none"),
    ("Re: out of office", "", {}, "unclassified"),  # not at the start of the subject
    ("ABWESEND bis 5.", "", {}, "none"),
    ("Status", "About ticket #12345, any news?", {}, "query"),
    ("Ticket #98765", "", {}, "query"),
    ("Ticket #98", "", {}, "unclassified"),
    ("Status", "x" * 10_000 + " ticket #12345", {}, "query"),  # past the one-pass limit
    ("Read: order", "", {"content-type": ["multipart/report; report-type=disposition-notification"]}, "none"),
    ("Order", "", {"content-type": ["text/plain"]}, "unclassified"),
])
def test_regexes_of_a_field_are_found_in_one_pass_with_the_same_result(subject, body, headers, expected):
    rules = load_rules_text(REGEX_RULES, "r.yaml")
    assert classify(msg(subject, body, headers=headers), None, rules).category == expected


def test_regex_sets_match_as_each_pattern_does_and_survive_pickling():
    import pickle

    from intake.understand.rules.regex import SET_TEXT_LIMIT, RegexSet, user_regex

    patterns = [r"^\s*auto:", r"\bout of (the )?office\b", r"\?", r"\A\s*test\s*\z", r"[åä]rende"]
    regex_set = pickle.loads(pickle.dumps(RegexSet([user_regex(p) for p in patterns])))
    texts = ["Auto: away", "x\nauto: away", "She is Out of the Office", "what?", " test ", "a test",
             "Ärende 4", "nothing here", "", "y" * (SET_TEXT_LIMIT + 10) + " out of office?"]
    for text in texts:
        one_by_one = {p for p in patterns if user_regex(p).search(text)}
        assert regex_set.matching(text) == one_by_one, text


@pytest.mark.parametrize(("pattern", "needed"), [
    (r"text/calendar.*method=\"?reply", ("text/calendar",)),
    (r"(<(mailer-daemon|postmaster)@|^Mail Delivery)", ("mail delivery", "mailer-daemon", "postmaster")),
    (r"\A\s*(test|testing)[\s.!0-9]*\z", ("test",)),
    (r"(a+)+$", None),                 # nothing plain to see
    (r"^\s*(re|aw):", None),          # too short to be worth a look
    (r"[[:alpha:]]+ order", None),     # Python would read a literal "]" RE2 has not
    (r"\pL+ order", None),            # RE2 syntax Python does not read
])
def test_the_text_a_regex_needs_is_seen_conservatively(pattern, needed):
    from intake.understand.rules.regex import required_text

    assert required_text(pattern) == needed


def test_a_set_whose_patterns_need_text_skips_texts_without_it_and_finds_the_same():
    from intake.understand.rules.regex import RegexSet, user_regex

    patterns = [r"disposition-notification", r"text/calendar.*method=\"?(request|cancel)", r"(<(mailer-daemon|postmaster)@)"]
    regex_set = RegexSet([user_regex(p) for p in patterns])
    texts = ["text/plain; charset=utf-8", "TEXT/CALENDAR; METHOD=REQUEST", "multipart/report; report-type=disposition-notification",
             "Mail System <MAILER-DAEMON@mx.example.com>", "text/calendar; method=publish", ""]
    for text in texts:
        assert regex_set.matching(text) == {p for p in patterns if user_regex(p).search(text)}, text


def test_a_rule_on_a_property_is_tried_only_on_messages_with_that_value():
    """`channel: call` need not be tested on mail; beside words, the words trigger the rule
    (most messages are of one channel, few have the words). The result is the same."""
    from intake.understand.rules.facts import Facts

    rules = load_rules_text("""
version: 1
rules:
  - {id: calls, when: {channel: call}, then: {category: query, score: 3}}
  - {id: calls-asking-price, when: {all: [{channel: [call]}, {body: [price]}]}, then: {category: quote, score: 4}}
""")
    ids = [r.id for r in rules.rules]

    def tried(msg):
        return {ids[i] for i in rules.candidates(Facts(msg, None, rules.index))}

    mail = ParsedMessage(channel="email", new_text="what price?", text="what price?")
    call = ParsedMessage(channel="call", new_text="what price?", text="what price?")
    assert "calls" not in tried(mail) and "calls" in tried(call)
    assert "calls-asking-price" in tried(mail) and "calls-asking-price" in tried(call)
    assert "calls-asking-price" not in tried(ParsedMessage(channel="call", new_text="hello", text="hello"))
    assert classify(call, None, rules).category == "quote"
    assert classify(mail, None, rules).category == "unclassified"


def test_a_rule_with_words_and_a_question_mark_is_tried_only_where_the_words_are():
    """A question mark is in most mail; the words beside it are not, so they trigger the
    rule. A rare regex still triggers its rule by itself."""
    from intake.understand.rules.facts import Facts

    rules = load_rules_text("""
version: 1
rules:
  - {id: price-asked, when: {all: [{body: {regex: '\\?'}}, {body: [price]}]}, then: {category: quote, score: 3}}
  - {id: ticket, when: {all: [{body: {regex: 'ticket #\\d{4,}'}}, {body: [status]}]}, then: {category: query, score: 3}}
""")
    ids = [r.id for r in rules.rules]

    def tried(text):
        msg = ParsedMessage(new_text=text, text=text)
        return {ids[i] for i in rules.candidates(Facts(msg, None, rules.index, rules.own_domains, rules.regexes))}

    assert "price-asked" not in tried("when does it ship?")
    assert "price-asked" in tried("what price?")
    assert "ticket" in tried("ticket #12345") and "ticket" not in tried("what status?")
    assert classify(ParsedMessage(new_text="what price?", text="what price?"), None, rules).category == "quote"


def test_near_is_tried_only_where_its_smaller_group_is_and_apart_where_its_first_is():
    """Near needs both groups, so the one with fewer words triggers it; apart needs only
    its first group."""
    from intake.understand.rules.facts import Facts

    rules = load_rules_text("""
version: 1
rules:
  - id: go-ahead-as-quoted
    when: {near: {words: [[go ahead, confirm, proceed, accept, approve], [as quoted]], within: 6}}
    then: {category: order, score: 4}
  - id: send-not-brochures
    when: {apart: {words: [[send us], [brochures, catalogues, price list, samples, swatches]], within: 8}}
    then: {category: order, score: 3}
""")
    ids = [r.id for r in rules.rules]

    def tried(text):
        msg = ParsedMessage(new_text=text, text=text)
        return {ids[i] for i in rules.candidates(Facts(msg, None, rules.index, rules.own_domains, rules.regexes))}

    assert "go-ahead-as-quoted" not in tried("please confirm the delivery date")
    assert "go-ahead-as-quoted" in tried("go ahead as quoted")
    assert classify(ParsedMessage(new_text="go ahead as quoted", text="go ahead as quoted"), None,
                    rules).category == "order"
    assert "send-not-brochures" in tried("send us 4 sofas")
    assert "send-not-brochures" not in tried("brochures please")


def test_an_all_tests_its_cheap_parts_first_and_counts_goods_only_when_they_hold():
    """Counting goods reads the whole text; a keyword that rules the rule out is known
    already, so whichever order the parts are written in, the count waits for the words."""
    r = load_rules_text("version: 1\nrules:\n  - id: o\n    when: {all: [{detect: [quantities]}, {body: [send]},"
                        " {not: {body: [brochures]}}]}\n    then: {category: order, score: 2}\n")
    asks_for_literature = msg(body="Please send 20 brochures")
    assert classify(asks_for_literature, None, r).category == "unclassified"
    assert "quantities" not in asks_for_literature.detected
    orders = msg(body="Please send 20 chairs")
    assert classify(orders, None, r).category == "order"
    assert orders.detected["quantities"] == ["20 chairs"]
