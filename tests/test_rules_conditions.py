"""Each condition kind, and how conditions combine."""

import pytest

from intake.message import Attachment, DealerFacts, ParsedMessage
from intake.rulesfile import load_rules_text
from intake.understand.rules.engine import classify

UK = DealerFacts("northdale", "Northdale", "uk", "GB")
DE = DealerFacts("sonnenhof", "Sonnenhof", "export", "DE")


def decide(when: str, msg: ParsedMessage, dealer=None) -> bool:
    """True when a rule with this `when:` (YAML flow mapping) matches."""
    rules = load_rules_text(f"version: 1\nrules:\n  - id: r\n    when: {when}\n    then: {{category: order, score: 5}}\n")
    return classify(msg, dealer, rules).category == "order"


def m(**kw) -> ParsedMessage:
    kw.setdefault("from_addr", "sam@northdale.example.co.uk")
    if "body" in kw:
        kw["new_text"] = kw["text"] = kw.pop("body")
    return ParsedMessage(**kw)


CASES = [
    # (when, message, dealer, expected)
    ("{subject: [order]}", m(subject="New ORDER"), None, True),
    ("{subject: [order]}", m(subject="Reorder"), None, False),
    ("{body: [bestell*]}", m(body="Wir bestellen hiermit"), None, True),
    ("{body: [łódź]}", m(body="Dostawa do LODZ"), None, True),
    ("{body: [réclamation]}", m(body="Une reclamation"), None, True),
    ("{body: [zamówienie]}", m(body="ZAMÓWIENIE nr 4"), None, True),
    ("{body: [große]}", m(body="die GROSSE Markise"), None, True),
    ("{quoted: [order]}", m(text="thanks\n> your order", new_text="thanks"), None, True),
    ("{body: [order]}", m(text="thanks\n> your order", new_text="thanks"), None, False),
    ("{quoted_start: [order]}", m(text="thanks\n> your order", new_text="thanks"), None, True),
    ("{quoted_start: [order]}", m(text="thanks", new_text="thanks"), None, False),
    # Only the start of a long thread is read.
    ("{quoted_start: [order]}", m(text="thanks\n" + "> blah\n" * 400 + "> your order", new_text="thanks"), None,
     False),
    ("{text: [urgent]}", m(subject="urgent", body="x"), None, True),
    ("{from: [no reply]}", m(from_addr="no-reply@x.example"), None, True),
    ("{from: {regex: '^.*<sam@'}}", m(), None, True),
    ("{from_domain: [northdale.example.co.uk]}", m(from_addr="a@mail.northdale.example.co.uk"), None, True),
    ("{from_domain: [northdale.example.co.uk]}", m(from_addr="a@evilnorthdale.example.co.uk"), None, False),
    ("{to: [orders]}", m(to=["orders@example.co.uk"]), None, True),
    ("{to: [orders]}", m(to=["sales@example.co.uk"], cc=["orders@example.co.uk"]), None, True),
    ("{attachment_name: {regex: '\\.pdf$'}}", m(attachments=[Attachment("PO-1.PDF", "application/pdf", 9)]), None,
     True),
    ("{attachment_type: [pdf]}", m(attachments=[Attachment("x", "application/pdf", 9)]), None, True),
    ("{has_attachment: true}", m(), None, False),
    ("{header: X-Mailer}", m(headers={"x-mailer": ["Outlook"]}), None, True),
    ("{header: {name: X-Mailer, words: [outlook]}}", m(headers={"x-mailer": ["Microsoft Outlook 16"]}), None, True),
    ("{header: {name: X-Mailer, regex: '^thunder'}}", m(headers={"x-mailer": ["Outlook"]}), None, False),
    ("{language: [de, fr]}", m(language="fr"), None, True),
    ("{language: de}", m(language="en"), None, False),
    ("{channel: call}", m(channel="call"), None, True),
    ("{call_status: [no-answer, busy]}", m(channel="call", call_status="busy"), None, True),
    ("{call_duration: {max: 5}}", m(channel="call", call_duration=0), None, True),
    ("{call_duration: {min: 30}}", m(channel="call", call_duration=10), None, False),
    ("{call_duration: {min: 1}}", m(), None, False),  # an email has no duration
    ("{content_type: text/html}", m(content_type="text/html"), None, True),
    ("{dealer: known}", m(), UK, True),
    ("{dealer: unknown}", m(), UK, False),
    ("{dealer_area: export}", m(), DE, True),
    ("{dealer_country: [de, at]}", m(), DE, True),
    ("{dealer_country: [de]}", m(), None, False),
    ("{reply: true}", m(subject="AW: Angebot"), None, True),
    ("{reply: true}", m(subject="Angebot", in_reply_to="<x@y>"), None, True),
    ("{reply: false}", m(subject="Fwd: Angebot"), None, True),
    ("{body: {words: [order, price, quote], min_hits: 2}}", m(body="price for the order"), None, True),
    ("{body: {words: [order, price, quote], min_hits: 2}}", m(body="the order"), None, False),
    ("{body: {words: [order], regex: 'PO ?\\d+'}}", m(body="see PO 1234"), None, True),
    # Punctuation alone is matched as plain text, escaped or not.
    ("{body: {regex: '\\?'}}", m(body="is it ready?"), None, True),
    ("{body: {regex: '\\?'}}", m(body="it is ready."), None, False),
    ("{body: {regex: '\\\\'}}", m(body="C:\\orders"), None, True),
    ("{body: {regex: '[?]'}}", m(body="ready?"), None, True),
    # Combinations
    ("{all: [{subject: [order]}, {body: [price]}]}", m(subject="order", body="price"), None, True),
    ("{all: [{subject: [order]}, {body: [price]}]}", m(subject="order", body="cost"), None, False),
    ("{any: [{subject: [order]}, {body: [price]}]}", m(subject="x", body="price"), None, True),
    ("{not: {subject: [order]}}", m(subject="order"), None, False),
    ("{subject: [order], body: [price]}", m(subject="order", body="nope"), None, False),  # several keys: all
    ("{any: [{all: [{dealer: known}, {not: {language: en}}]}, {subject: [x]}]}", m(language="de"), UK, True),
    ("{any: [{all: [{dealer: known}, {not: {language: en}}]}, {subject: [x]}]}", m(language="en"), UK, False),
]


@pytest.mark.parametrize("when, msg, dealer, expected", CASES, ids=[c[0][:60] for c in CASES])
def test_condition(when, msg, dealer, expected):
    assert decide(when, msg, dealer) is expected


def test_lists_are_shared_between_rules():
    rules = load_rules_text("""
version: 1
lists: {words: [angebot, devis]}
rules:
  - {id: a, when: {subject: ['@words']}, then: {category: quote, score: 1}}
  - {id: b, when: {body: ['@words']}, then: {category: quote, score: 1}}
""")
    d = classify(m(subject="Devis", body="Angebot bitte"), None, rules)
    assert d.scores == {"quote": 2.0} and d.category == "quote"


def test_stop_rule_wins_over_higher_scores():
    rules = load_rules_text("""
version: 1
rules:
  - {id: spam, when: {from: [spammer]}, then: {category: none, stop: true}}
  - {id: order, when: {body: [order]}, then: {category: order, score: 50}}
""")
    d = classify(m(from_addr="spammer@x.example", body="order"), None, rules)
    assert (d.category, d.rules) == ("none", ["spam"])


def test_tie_goes_to_the_first_in_tie_order():
    text = """
version: 1
settings: {{threshold: 1, tie_order: [{first}]}}
rules:
  - {{id: a, when: {{body: [x]}}, then: {{category: order, score: 2}}}}
  - {{id: b, when: {{body: [x]}}, then: {{category: quote, score: 2}}}}
"""
    assert classify(m(body="x"), None, load_rules_text(text.format(first="order, quote"))).category == "order"
    assert classify(m(body="x"), None, load_rules_text(text.format(first="quote, order"))).category == "quote"


def test_route_to_and_sla_come_from_the_deciding_rule():
    rules = load_rules_text("""
version: 1
categories: {rework: {sla_hours: 8}}
rules:
  - {id: awning-fault, when: {body: [awning]}, then: {category: rework, score: 3, route_to: awnings@example.co.uk}}
  - {id: fault, when: {body: [broken]}, then: {category: rework, score: 3}}
""")
    d = classify(m(body="the awning is broken"), None, rules)
    assert (d.category, d.route_to, d.sla_hours) == ("rework", "awnings@example.co.uk", 8)


def test_a_longer_keyword_hides_a_shorter_one_of_a_rival_rule():
    """Asking for a price list is not asking for a price."""
    rules = load_rules_text("""
version: 1
rules:
  - {id: lit, when: {body: [price list]}, then: {category: literature, score: 3}}
  - {id: price, when: {body: [price]}, then: {category: quote, score: 4}}
""")
    d = classify(m(body="Please send the new price list"), None, rules)
    assert (d.category, d.scores) == ("literature", {"literature": 3.0})


def test_a_longer_keyword_keeps_the_words_a_rule_needs_beside_it():
    """"Change the order" is a change and names the order: some rule wants both, so both are
    found (for every rule: a hit is a hit)."""
    rules = load_rules_text("""
version: 1
lists:
  changes: [change the order, instead of]
  nouns: [order]
rules:
  - {id: change, when: {all: [{body: ['@changes']}, {body: ['@nouns']}]}, then: {category: order, score: 3}}
  - {id: near, when: {near: {words: [['@changes'], ['@nouns']], within: 3}}, then: {category: order, score: 2}}
  - {id: noun, when: {body: ['@nouns']}, then: {category: query, score: 1}}
""")
    d = classify(m(body="Can you change the order to 6 instead of 4?"), None, rules)
    assert d.scores == {"order": 5.0, "query": 1.0}
    assert classify(m(body="Can you check the order?"), None, rules).scores == {"query": 1.0}


def test_a_rule_is_never_triggered_by_a_threads_quoted_history_while_it_has_another_trigger():
    """Choosing the quoted history as the keyword that makes a rule a candidate would have
    every message's thread read for it."""
    rules = load_rules_text("""
version: 1
rules:
  - id: r
    when:
      all:
        - body: [change, amend, modify, postpone, reschedule, cancel]
        - any: [{body: [order]}, {all: [{reply: true}, {quoted_start: [order]}]}]
    then: {category: order, score: 3}
""")
    assert all(not name.startswith("quoted") for name, _rules in rules.keyword_rules)
    d = classify(m(subject="Re: Delivery", text="Please postpone it a week.\n> Your order ships Monday.",
                   new_text="Please postpone it a week.", in_reply_to="<a@example.com>"), None, rules)
    assert d.category == "order"


def test_a_common_trigger_is_still_chosen_before_the_quoted_history():
    """A question mark or a digit is in most mail, so most mail makes such a rule a
    candidate; reading every message's thread for its rarer words costs far more."""
    rules = load_rules_text("""
version: 1
rules:
  - id: r
    when:
      all:
        - reply: true
        - body: {regex: '[0-9]'}
        - quoted: [stock, order]
    then: {category: order, score: 3}
""")
    assert all(not name.startswith("quoted") for name, _rules in rules.keyword_rules)
    d = classify(m(subject="Re: Stock", text="Make it 12.\n> We have 12 in stock.", new_text="Make it 12.",
                   in_reply_to="<a@example.com>"), None, rules)
    assert d.category == "order"


def test_conditions_naming_several_lists_share_the_lists_tables_instead_of_copying_them():
    """Every worker holds the rules: a merged copy of the same long lists for each condition
    that names them together was most of their memory."""
    from intake.understand.rules.text_conditions import Keywords

    rules = load_rules_text("""
version: 1
lists: {faults: [broken, scratched, dented], wrong: [wrong colour, wrong size]}
rules:
  - {id: a, when: {body: ['@faults', '@wrong']}, then: {category: rework, score: 4}}
  - {id: b, when: {near: {words: [['@faults', '@wrong', urgent], [door, doors]], within: 3}}, then: {category: rework, score: 1}}
  - {id: c, when: {subject: ['@faults']}, then: {category: rework, score: 1}}
""")
    a, b, c = (r.when for r in rules.rules if r.id in ('a', 'b', 'c'))
    assert isinstance(a.patterns, Keywords) and isinstance(b.first.patterns, Keywords)
    assert a.patterns.tables[0] is c.patterns and b.first.patterns.tables[0] is c.patterns
    assert "urgent" in " ".join(b.first.patterns.tables[-1].values())
    d = classify(m(body="Two doors came dented.", subject="Delivery"), None, rules)
    assert d.category == "rework" and set(d.rules) == {"a", "b"}
    assert classify(m(body="The wrong size came.", subject="x"), None, rules).rules == ["a"]
    assert classify(m(body="All fine.", subject="x"), None, rules).category == "unclassified"
