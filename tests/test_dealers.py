import pytest

from intake.phones import normalize_phone
from intake.understand.dealers import load_directory
from intake.yamlconf import ConfigError


def test_identify_by_address_then_domain(directory):
    assert directory.identify_email("kim.harbourshade@example.net").key == "harbour-shade"
    assert directory.identify_email("Anyone@Northdale-Blinds.example.co.uk").key == "northdale"
    assert directory.identify_email("x@mail.sonnenhof.example.de").key == "sonnenhof"  # subdomain
    assert directory.identify_email("other@example.net") is None
    assert directory.identify_email("") is None


@pytest.mark.parametrize("written", ["01632 960 111", "+44 (0)1632 960111", "0044 1632 960111", "+441632960111"])
def test_phone_numbers_in_each_uk_format(directory, written):
    assert normalize_phone(written) == "+441632960111"
    assert directory.identify_phone(written).key == "northdale"


def test_public_domain_is_refused_with_line(tmp_path):
    f = tmp_path / "dealers.yaml"
    f.write_text("dealers:\n  - key: a\n    name: A\n    domains: [gmail.com]\n")
    with pytest.raises(ConfigError) as e:
        load_directory(f)
    assert e.value.problems[0].line == 4
    assert "public mail domain" in str(e.value)


def test_same_address_for_two_dealers_is_refused(tmp_path):
    f = tmp_path / "dealers.yaml"
    f.write_text("dealers:\n  - key: a\n    name: A\n    emails: [x@a.example]\n"
                 "  - key: b\n    name: B\n    emails: [x@a.example]\n")
    with pytest.raises(ConfigError) as e:
        load_directory(f)
    assert e.value.problems[0].line == 7
    assert "already listed for dealer 'a'" in str(e.value)


def test_bad_phone_is_refused(tmp_path):
    f = tmp_path / "dealers.yaml"
    f.write_text("dealers:\n  - key: a\n    name: A\n    phones: ['call me']\n")
    with pytest.raises(ConfigError) as e:
        load_directory(f)
    assert "not a phone number" in str(e.value)
